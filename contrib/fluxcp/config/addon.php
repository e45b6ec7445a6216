<?php
// Merged into FluxCP's application config: the admin menu entries of the p2p module.
return array(
	'MenuItems' => array(
		'Admin Menu' => array(
			'P2P Network' => array('module' => 'p2p', 'action' => 'dashboard'),
		),
	),
	'SubMenuItems' => array(
		'p2p' => array(
			'dashboard' => 'Dashboard',
			'hosts'     => 'Hosts',
			'maps'      => 'Maps',
			'alerts'    => 'Alerts',
		),
	),
);

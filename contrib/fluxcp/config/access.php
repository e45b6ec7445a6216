<?php
// FluxCP access levels for the p2p module (merged by FluxCP like any addon's access.php).
// Reading pages: HIGHGM and above. Operate actions (approve, ban, drain, move, emergency failover) are the
// P2POperate feature, checked by the modules before any call: ADMIN only by default. The API key's own role is a
// second gate: with a read key no operate call succeeds whatever the level here.
return array(
	'modules' => array(
		'p2p' => array(
			'index'     => AccountLevel::HIGHGM,
			'dashboard' => AccountLevel::HIGHGM,
			'hosts'     => AccountLevel::HIGHGM,
			'host'      => AccountLevel::HIGHGM,
			'maps'      => AccountLevel::HIGHGM,
			'map'       => AccountLevel::HIGHGM,
			'alerts'    => AccountLevel::HIGHGM,
		),
	),
	'features' => array(
		'P2POperate' => AccountLevel::ADMIN,
	),
);

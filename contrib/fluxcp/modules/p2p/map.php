<?php
if (!defined('FLUX_ROOT')) exit;

$this->loginRequired();
require_once dirname(__DIR__, 2) . '/lib/P2PFlux.php';

$mapName = trim((string)$params->get('map'));
if ($mapName === '') {
	$this->redirect($this->url('p2p', 'maps'));
}

$title        = 'P2P Map';
$canOperate   = (bool)$auth->allowedToP2POperate;
$map          = null;
$errorMessage = null;

if (count($_POST)) {
	$to = trim((string)$params->get('to'));
	$op = (string)$params->get('op');
	if (!$canOperate) {
		$this->deny();
	}
	elseif (!Flux_Security::csrfValidate('P2PMap', $_POST, $csrfError)) {
		$errorMessage = (string)$csrfError;
	}
	elseif ($op !== 'disable' && $op !== 'enable' && $to === '') {
		$errorMessage = 'Say where to move the map: a host id, or vps.';
	}
	else {
		$result = null;
		try {
			$client = P2PFlux::client();
			$result = $op === 'disable' ? $client->disableMap($mapName)
				: ($op === 'enable' ? $client->enableMap($mapName) : $client->moveMap($mapName, $to));
		}
		catch (Exception $e) {
			$errorMessage = P2PFlux::describe($e);
		}
		// Outside the try: a FluxCP whose redirect throws rather than exits must not have it shown as an error.
		if ($result !== null) {
			$session->setMessageData(P2PFlux::resultText($result));
			$this->redirect($this->url('p2p', 'map', array('map' => $mapName)));
		}
	}
}

try {
	$map = P2PFlux::client()->map($mapName);
}
catch (P2PAdminException $e) {
	$errorMessage = $e->getStatus() === 404
		? 'No map ' . $mapName . ' is known to the cluster.'
		: P2PFlux::describe($e);
}
catch (Exception $e) {
	$errorMessage = P2PFlux::describe($e);
}

<?php
if (!defined('FLUX_ROOT')) exit;

$this->loginRequired();
require_once dirname(__DIR__, 2) . '/lib/P2PFlux.php';

$hostId = trim((string)$params->get('id'));
if ($hostId === '') {
	$this->redirect($this->url('p2p', 'hosts'));
}

$title        = 'P2P Host';
$canOperate   = (bool)$auth->allowedToP2POperate;
$host         = null;
$errorMessage = null;

if (count($_POST)) {
	$op = (string)$params->get('op');
	if (!$canOperate) {
		$this->deny();
	}
	elseif (!Flux_Security::csrfValidate('P2PHost', $_POST, $csrfError)) {
		$errorMessage = (string)$csrfError;
	}
	elseif (!in_array($op, P2PFlux::HOST_ACTIONS, true)) {
		$errorMessage = 'Unknown action.';
	}
	else {
		$result = null;
		try {
			$result = P2PFlux::client()->$op($hostId);
		}
		catch (Exception $e) {
			$errorMessage = P2PFlux::describe($e);
		}
		// Post/redirect/get (a reload does not repeat the action), outside the try: a FluxCP whose redirect throws
		// rather than exits must not have it shown as an error.
		if ($result !== null) {
			$session->setMessageData(P2PFlux::resultText($result));
			$this->redirect($this->url('p2p', 'host', array('id' => $hostId)));
		}
	}
}

try {
	$host = P2PFlux::client()->host($hostId);
}
catch (P2PAdminException $e) {
	$errorMessage = $e->getStatus() === 404
		? 'No host ' . $hostId . ' is known to the cluster.'
		: P2PFlux::describe($e);
}
catch (Exception $e) {
	$errorMessage = P2PFlux::describe($e);
}

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
		try {
			$session->setMessageData(P2PFlux::resultText(P2PFlux::client()->$op($hostId)));
			// Post/redirect/get: a reload does not repeat the action.
			$this->redirect($this->url('p2p', 'host', array('id' => $hostId)));
		}
		catch (Exception $e) {
			$errorMessage = P2PFlux::describe($e);
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

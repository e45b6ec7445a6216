<?php
if (!defined('FLUX_ROOT')) exit;

$this->loginRequired();
require_once dirname(__DIR__, 2) . '/lib/P2PFlux.php';

$title        = 'P2P Network';
$canOperate   = (bool)$auth->allowedToP2POperate;
$summary      = null;
$alerts       = array();
$errorMessage = null;

if (count($_POST)) {
	$op = (string)$params->get('op');
	if (!$canOperate) {
		$this->deny();
	}
	elseif (!Flux_Security::csrfValidate('P2PNetwork', $_POST, $csrfError)) {
		$errorMessage = (string)$csrfError;
	}
	elseif (!array_key_exists($op, P2PFlux::NETWORK_ACTIONS)) {
		$errorMessage = 'Unknown action.';
	}
	else {
		$result = null;
		try {
			$method = P2PFlux::NETWORK_ACTIONS[$op];
			$result = P2PFlux::client()->$method();
		}
		catch (Exception $e) {
			$errorMessage = P2PFlux::describe($e);
		}
		// Outside the try: a FluxCP whose redirect throws rather than exits must not have it shown as an error.
		if ($result !== null) {
			$session->setMessageData(P2PFlux::resultText($result));
			$this->redirect($this->url('p2p', 'dashboard'));
		}
	}
}

try {
	$summary = P2PFlux::client()->summary();
	$alerts  = P2PFlux::client()->alerts('active', 20);
}
catch (Exception $e) {
	$errorMessage = $errorMessage ?: P2PFlux::describe($e);
}

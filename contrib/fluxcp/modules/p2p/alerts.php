<?php
if (!defined('FLUX_ROOT')) exit;

$this->loginRequired();
require_once dirname(__DIR__, 2) . '/lib/P2PFlux.php';

$title        = 'P2P Alerts';
$active       = array();
$history      = array();
$errorMessage = null;

try {
	$active  = P2PFlux::client()->alerts('active');
	$history = P2PFlux::client()->alerts('history', 100);
}
catch (Exception $e) {
	$errorMessage = P2PFlux::describe($e);
}

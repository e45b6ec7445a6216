<?php
if (!defined('FLUX_ROOT')) exit;

$this->loginRequired();
require_once dirname(__DIR__, 2) . '/lib/P2PFlux.php';

$title        = 'P2P Maps';
$maps         = array();
$errorMessage = null;

try {
	$maps = P2PFlux::client()->maps();
}
catch (Exception $e) {
	$errorMessage = P2PFlux::describe($e);
}

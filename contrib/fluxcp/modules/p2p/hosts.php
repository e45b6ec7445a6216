<?php
if (!defined('FLUX_ROOT')) exit;

$this->loginRequired();
require_once dirname(__DIR__, 2) . '/lib/P2PFlux.php';

$title        = 'P2P Hosts';
$status       = (string)$params->get('status');
$kind         = (string)$params->get('kind');
$offset       = max(0, (int)$params->get('offset'));
$page         = null;
$errorMessage = null;

// Filters outside the API's values are dropped rather than sent: the page then lists every host.
$status = in_array($status, P2PFlux::HOST_STATUSES, true) ? $status : '';
$kind   = in_array($kind, P2PFlux::HOST_KINDS, true) ? $kind : '';

try {
	$perPage = (int)P2PFlux::settings()['HostsPerPage'];
	$page    = P2PFlux::client()->hosts($status ?: null, $kind ?: null, $offset, $perPage);
}
catch (Exception $e) {
	$errorMessage = P2PFlux::describe($e);
}

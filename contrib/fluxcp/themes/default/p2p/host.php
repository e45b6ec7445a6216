<?php if (!defined('FLUX_ROOT')) exit; ?>
<h2>P2P Host <?php echo P2PFlux::h($hostId) ?></h2>
<p><a href="<?php echo P2PFlux::h($this->url('p2p', 'hosts')) ?>">&laquo; All hosts</a></p>
<?php if (!empty($errorMessage)): ?>
	<p class="red"><?php echo P2PFlux::h($errorMessage) ?></p>
<?php endif ?>
<?php if ($host): ?>
	<?php
		$summary     = $host['summary'] ?? array();
		$load        = $summary['load'] ?? null;
		$capacity    = $summary['capacity'] ?? null;
		$reliability = $host['reliability'] ?? array();
	?>
	<table class="vertical-table">
		<tr><th>Kind</th><td><?php echo P2PFlux::h($summary['kind'] ?? null) ?></td></tr>
		<tr><th>Status</th><td><?php echo P2PFlux::h($summary['status'] ?? null) ?><?php if (!empty($host['draining'])): ?> (draining)<?php endif ?></td></tr>
		<tr><th>Approved</th><td><?php echo P2PFlux::h((bool)($summary['approved'] ?? false)) ?></td></tr>
		<tr><th>Score</th><td><?php echo P2PFlux::number($summary['score'] ?? null) ?></td></tr>
		<tr><th>Endpoint</th><td><?php echo P2PFlux::h($summary['endpoint'] ?? null) ?></td></tr>
		<tr><th>Key fingerprint</th><td><code><?php echo P2PFlux::h($host['keyFingerprint'] ?? null) ?></code></td></tr>
		<tr><th>Online since</th><td><?php echo P2PFlux::when($host['onlineSince'] ?? null) ?></td></tr>
		<tr>
			<th>Load / limits</th>
			<td>
				CPU <?php echo P2PFlux::number($load['cpuPercent'] ?? null) ?> / <?php echo P2PFlux::h($capacity['cpuLimitPercent'] ?? null) ?> %,
				memory <?php echo P2PFlux::number($load['memoryPercent'] ?? null) ?> / <?php echo P2PFlux::h($capacity['memoryLimitPercent'] ?? null) ?> %,
				network <?php echo P2PFlux::number($load['networkMbps'] ?? null) ?> / <?php echo P2PFlux::h($capacity['networkLimitMbps'] ?? null) ?> Mbps,
				players <?php echo P2PFlux::h($load['players'] ?? null) ?> / <?php echo P2PFlux::h($capacity['maxPlayers'] ?? null) ?>,
				maps <?php echo P2PFlux::h($summary['maps'] ?? 0) ?> / <?php echo P2PFlux::h($capacity['maxMaps'] ?? null) ?>
			</td>
		</tr>
		<tr>
			<th>Reliability</th>
			<td>
				<?php echo P2PFlux::h($reliability['sessions'] ?? 0) ?> sessions, <?php echo P2PFlux::h($reliability['failures'] ?? 0) ?> failures,
				<?php echo P2PFlux::h($reliability['rejectedWrites'] ?? 0) ?> refused writes, uptime <?php echo P2PFlux::h($reliability['totalUptime'] ?? null) ?>;
				last failure <?php echo P2PFlux::when($reliability['lastFailureAt'] ?? null) ?> <?php echo P2PFlux::h($reliability['lastFailureReason'] ?? null) ?>
			</td>
		</tr>
	</table>

	<h3>Maps on this host</h3>
	<?php if (!empty($host['mapEpochs'])): ?>
		<table class="horizontal-table">
			<tr><th>Map</th><th>Epoch</th></tr>
			<?php foreach ((array)$host['mapEpochs'] as $mapName => $epoch): ?>
				<tr>
					<td><a href="<?php echo P2PFlux::h($this->url('p2p', 'map', array('map' => (string)$mapName))) ?>"><?php echo P2PFlux::h($mapName) ?></a></td>
					<td><?php echo P2PFlux::h($epoch) ?></td>
				</tr>
			<?php endforeach ?>
		</table>
	<?php else: ?>
		<p>None.</p>
	<?php endif ?>

	<h3>Recent placement decisions</h3>
	<?php $placements = (array)($host['recentPlacements'] ?? array()) ?>
	<?php include __DIR__ . '/placements.inc.php' ?>

	<?php if ($canOperate): ?>
		<h3>Actions</h3>
		<form action="<?php echo P2PFlux::h($this->url('p2p', 'host', array('id' => $hostId))) ?>" method="post" class="generic-form">
			<?php echo Flux_Security::csrfGenerate('P2PHost', true) ?>
			<?php if (empty($summary['approved'])): ?>
				<button type="submit" name="op" value="approve">Approve</button>
			<?php else: ?>
				<button type="submit" name="op" value="unapprove">Withdraw approval</button>
			<?php endif ?>
			<?php if (empty($host['draining'])): ?>
				<button type="submit" name="op" value="drain" onclick="return confirm('Save its players, move its maps away and give it no new maps?')">Drain</button>
			<?php else: ?>
				<button type="submit" name="op" value="undrain">Undrain</button>
			<?php endif ?>
			<?php if (($summary['status'] ?? '') !== 'banned'): ?>
				<button type="submit" name="op" value="ban" onclick="return confirm('Disconnect this host, move its maps and refuse it from now on?')">Ban</button>
			<?php else: ?>
				<button type="submit" name="op" value="unban">Unban</button>
			<?php endif ?>
		</form>
	<?php endif ?>
<?php endif ?>

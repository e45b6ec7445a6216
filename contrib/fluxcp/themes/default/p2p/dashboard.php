<?php if (!defined('FLUX_ROOT')) exit; ?>
<h2>P2P Network</h2>
<?php if (!empty($errorMessage)): ?>
	<p class="red"><?php echo P2PFlux::h($errorMessage) ?></p>
<?php endif ?>
<?php if ($summary): ?>
	<?php $network = $summary['network'] ?? array() ?>
	<table class="vertical-table">
		<tr><th>Taken at</th><td><?php echo P2PFlux::when($summary['takenAt'] ?? null) ?></td></tr>
		<tr><th>Players online</th><td><?php echo P2PFlux::h($summary['playersOnline'] ?? 0) ?></td></tr>
		<tr><th>Active alerts</th><td><a href="<?php echo P2PFlux::h($this->url('p2p', 'alerts')) ?>"><?php echo P2PFlux::h($summary['activeAlerts'] ?? 0) ?></a></td></tr>
		<tr>
			<th>P2P placement</th>
			<td>
				<?php if (!empty($network['p2pPaused'])): ?>
					<strong class="red">paused</strong> since <?php echo P2PFlux::when($network['pausedAt'] ?? null) ?>
					by <?php echo P2PFlux::h($network['pausedBy'] ?? null) ?>
				<?php else: ?>
					running
				<?php endif ?>
			</td>
		</tr>
	</table>

	<h3>Silos</h3>
	<table class="horizontal-table">
		<tr><th>Name</th><th>Address</th><th>Status</th><th>Started</th></tr>
		<?php foreach ((array)($summary['silos'] ?? array()) as $silo): ?>
			<tr>
				<td><?php echo P2PFlux::h($silo['name'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($silo['address'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($silo['status'] ?? null) ?></td>
				<td><?php echo P2PFlux::when($silo['startedAt'] ?? null) ?></td>
			</tr>
		<?php endforeach ?>
	</table>

	<h3>Hosts</h3>
	<table class="horizontal-table">
		<tr><th>Kind</th><th>Status</th><th>Count</th></tr>
		<?php foreach ((array)($summary['hosts'] ?? array()) as $count): ?>
			<tr>
				<td><?php echo P2PFlux::h($count['kind'] ?? null) ?></td>
				<td>
					<?php // Only statuses the host list filters by are links (the summary also counts e.g. "suspect"). ?>
					<?php if (in_array($count['status'] ?? '', P2PFlux::HOST_STATUSES, true)): ?>
						<a href="<?php echo P2PFlux::h($this->url('p2p', 'hosts', array('kind' => (string)($count['kind'] ?? ''), 'status' => (string)$count['status']))) ?>">
							<?php echo P2PFlux::h($count['status']) ?>
						</a>
					<?php else: ?>
						<?php echo P2PFlux::h($count['status'] ?? null) ?>
					<?php endif ?>
				</td>
				<td><?php echo P2PFlux::h($count['count'] ?? 0) ?></td>
			</tr>
		<?php endforeach ?>
	</table>

	<h3>Maps</h3>
	<table class="horizontal-table">
		<tr><th>State</th><th>Count</th></tr>
		<?php foreach ((array)($summary['maps'] ?? array()) as $count): ?>
			<tr>
				<td><?php echo P2PFlux::h($count['state'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($count['count'] ?? 0) ?></td>
			</tr>
		<?php endforeach ?>
	</table>
	<p><a href="<?php echo P2PFlux::h($this->url('p2p', 'maps')) ?>">All maps</a></p>

	<?php if ($alerts): ?>
		<h3>Firing and pending alerts</h3>
		<ul>
			<?php foreach ($alerts as $alert): ?>
				<li><?php echo P2PFlux::h($alert['state'] ?? null) ?>: <?php echo P2PFlux::h($alert['summary'] ?? null) ?></li>
			<?php endforeach ?>
		</ul>
	<?php endif ?>

	<?php if ($canOperate): ?>
		<h3>Network actions</h3>
		<form action="<?php echo P2PFlux::h($this->url('p2p', 'dashboard')) ?>" method="post" class="generic-form">
			<?php echo Flux_Security::csrfGenerate('P2PNetwork', true) ?>
			<?php if (empty($network['p2pPaused'])): ?>
				<p>Emergency failover moves every map on a player PC to VPS and pauses P2P placement until resumed.</p>
				<button type="submit" name="op" value="emergency-failover" onclick="return confirm('Move every P2P map to VPS and pause P2P?')">Emergency failover</button>
			<?php else: ?>
				<button type="submit" name="op" value="resume">Resume P2P placement</button>
			<?php endif ?>
		</form>
	<?php endif ?>
<?php endif ?>

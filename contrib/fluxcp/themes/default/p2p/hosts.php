<?php if (!defined('FLUX_ROOT')) exit; ?>
<h2>P2P Hosts</h2>
<?php if (!empty($errorMessage)): ?>
	<p class="red"><?php echo P2PFlux::h($errorMessage) ?></p>
<?php endif ?>
<form action="<?php echo P2PFlux::h($this->url('p2p', 'hosts')) ?>" method="get" class="search-form">
	<?php // FluxCP routes by these two when mod_rewrite URLs are off. ?>
	<input type="hidden" name="module" value="p2p" />
	<input type="hidden" name="action" value="hosts" />
	<label for="p2p_status">Status</label>
	<select name="status" id="p2p_status">
		<option value="">any</option>
		<?php foreach (P2PFlux::HOST_STATUSES as $option): ?>
			<option value="<?php echo P2PFlux::h($option) ?>"<?php if ($status === $option) echo ' selected="selected"' ?>><?php echo P2PFlux::h($option) ?></option>
		<?php endforeach ?>
	</select>
	<label for="p2p_kind">Kind</label>
	<select name="kind" id="p2p_kind">
		<option value="">any</option>
		<?php foreach (P2PFlux::HOST_KINDS as $option): ?>
			<option value="<?php echo P2PFlux::h($option) ?>"<?php if ($kind === $option) echo ' selected="selected"' ?>><?php echo P2PFlux::h($option) ?></option>
		<?php endforeach ?>
	</select>
	<input type="submit" value="Filter" />
</form>
<?php if ($page): ?>
	<?php
		$items = (array)($page['items'] ?? array());
		$total = (int)($page['total'] ?? 0);
		$first = (int)($page['offset'] ?? 0);
		$limit = (int)P2PFlux::settings()['HostsPerPage'];
	?>
	<p><?php echo P2PFlux::h($total) ?> hosts, best score first<?php if ($items): ?>; showing <?php echo P2PFlux::h($first + 1) ?>–<?php echo P2PFlux::h($first + count($items)) ?><?php endif ?>.</p>
	<?php if ($items): ?>
		<table class="horizontal-table">
			<tr>
				<th>Host</th><th>Kind</th><th>Status</th><th>Approved</th><th>Score</th>
				<th>CPU %</th><th>Memory %</th><th>Players</th><th>Maps</th><th>Endpoint</th>
			</tr>
			<?php foreach ($items as $host): ?>
				<?php $load = $host['load'] ?? null; $capacity = $host['capacity'] ?? null ?>
				<tr>
					<td><a href="<?php echo P2PFlux::h($this->url('p2p', 'host', array('id' => (string)($host['hostId'] ?? '')))) ?>"><?php echo P2PFlux::h($host['hostId'] ?? null) ?></a></td>
					<td><?php echo P2PFlux::h($host['kind'] ?? null) ?></td>
					<td><?php echo P2PFlux::h($host['status'] ?? null) ?></td>
					<td><?php echo P2PFlux::h((bool)($host['approved'] ?? false)) ?></td>
					<td><?php echo P2PFlux::number($host['score'] ?? null) ?></td>
					<td><?php echo P2PFlux::number($load['cpuPercent'] ?? null) ?><?php if ($capacity): ?> / <?php echo P2PFlux::h($capacity['cpuLimitPercent'] ?? null) ?><?php endif ?></td>
					<td><?php echo P2PFlux::number($load['memoryPercent'] ?? null) ?><?php if ($capacity): ?> / <?php echo P2PFlux::h($capacity['memoryLimitPercent'] ?? null) ?><?php endif ?></td>
					<td><?php echo P2PFlux::h($load['players'] ?? null) ?><?php if ($capacity): ?> / <?php echo P2PFlux::h($capacity['maxPlayers'] ?? null) ?><?php endif ?></td>
					<td><?php echo P2PFlux::h($host['maps'] ?? 0) ?><?php if ($capacity): ?> / <?php echo P2PFlux::h($capacity['maxMaps'] ?? null) ?><?php endif ?></td>
					<td><?php echo P2PFlux::h($host['endpoint'] ?? null) ?></td>
				</tr>
			<?php endforeach ?>
		</table>
		<p>
			<?php $filters = array('status' => $status, 'kind' => $kind) ?>
			<?php if ($first > 0): ?>
				<a href="<?php echo P2PFlux::h($this->url('p2p', 'hosts', $filters + array('offset' => max(0, $first - $limit)))) ?>">&laquo; Previous</a>
			<?php endif ?>
			<?php if ($first + count($items) < $total): ?>
				<a href="<?php echo P2PFlux::h($this->url('p2p', 'hosts', $filters + array('offset' => $first + count($items)))) ?>">Next &raquo;</a>
			<?php endif ?>
		</p>
	<?php endif ?>
<?php endif ?>

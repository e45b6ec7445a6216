<?php if (!defined('FLUX_ROOT')) exit; ?>
<h2>P2P Alerts</h2>
<?php if (!empty($errorMessage)): ?>
	<p class="red"><?php echo P2PFlux::h($errorMessage) ?></p>
<?php endif ?>
<?php foreach (array('Firing and pending' => $active, 'History' => $history) as $heading => $list): ?>
	<h3><?php echo P2PFlux::h($heading) ?></h3>
	<?php if ($list): ?>
		<table class="horizontal-table">
			<tr><th>Rule</th><th>Subject</th><th>State</th><th>Value</th><th>Threshold</th><th>Started</th><th>Fired</th><th>Ended</th><th>Summary</th></tr>
			<?php foreach ($list as $alert): ?>
				<tr>
					<td><?php echo P2PFlux::h($alert['rule'] ?? null) ?></td>
					<td><?php echo P2PFlux::h($alert['subject'] ?? null) ?></td>
					<td><?php echo P2PFlux::h($alert['state'] ?? null) ?></td>
					<td><?php echo P2PFlux::number($alert['value'] ?? null, 2) ?></td>
					<td><?php echo P2PFlux::number($alert['threshold'] ?? null, 2) ?></td>
					<td><?php echo P2PFlux::when($alert['startedAt'] ?? null) ?></td>
					<td><?php echo P2PFlux::when($alert['firedAt'] ?? null) ?></td>
					<td><?php echo P2PFlux::when($alert['endedAt'] ?? null) ?></td>
					<td><?php echo P2PFlux::h($alert['summary'] ?? null) ?></td>
				</tr>
			<?php endforeach ?>
		</table>
	<?php else: ?>
		<p>None.</p>
	<?php endif ?>
<?php endforeach ?>

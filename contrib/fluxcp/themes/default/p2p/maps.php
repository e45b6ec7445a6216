<?php if (!defined('FLUX_ROOT')) exit; ?>
<h2>P2P Maps</h2>
<?php if (!empty($errorMessage)): ?>
	<p class="red"><?php echo P2PFlux::h($errorMessage) ?></p>
<?php endif ?>
<?php if ($maps): ?>
	<table class="horizontal-table">
		<tr><th>Map</th><th>Status</th><th>Host</th><th>Kind</th><th>Epoch</th><th>State</th><th>Players</th><th>Why there</th><th>Since</th></tr>
		<?php foreach ($maps as $map): ?>
			<?php $unassigned = ($map['status'] ?? '') === 'unassigned' ?>
			<tr<?php if ($unassigned) echo ' class="red"' ?>>
				<td><a href="<?php echo P2PFlux::h($this->url('p2p', 'map', array('map' => (string)($map['name'] ?? '')))) ?>"><?php echo P2PFlux::h($map['name'] ?? null) ?></a></td>
				<td><?php echo $unassigned ? '<strong>unassigned</strong>' : P2PFlux::h($map['status'] ?? null) ?></td>
				<td>
					<?php if (!empty($map['hostId'])): ?>
						<a href="<?php echo P2PFlux::h($this->url('p2p', 'host', array('id' => (string)$map['hostId']))) ?>"><?php echo P2PFlux::h($map['hostId']) ?></a>
					<?php else: ?>–<?php endif ?>
				</td>
				<td><?php echo P2PFlux::h($map['hostKind'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($map['epoch'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($map['instanceState'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($map['players'] ?? 0) ?></td>
				<td><?php echo P2PFlux::h($map['why'] ?? null) ?></td>
				<td><?php echo P2PFlux::when($map['since'] ?? null) ?></td>
			</tr>
		<?php endforeach ?>
	</table>
<?php elseif (empty($errorMessage)): ?>
	<p>The cluster knows no maps.</p>
<?php endif ?>

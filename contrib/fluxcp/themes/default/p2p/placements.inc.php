<?php if (!defined('FLUX_ROOT')) exit; // Shared by host.php and map.php: $placements, a list of PlacementRecord. ?>
<?php if ($placements): ?>
	<table class="horizontal-table">
		<tr><th>When</th><th>Map</th><th>Epoch</th><th>Went to</th><th>Why</th><th>Score</th><th>Candidates</th></tr>
		<?php foreach ($placements as $placement): ?>
			<tr>
				<td><?php echo P2PFlux::when($placement['decidedAt'] ?? null) ?></td>
				<td><a href="<?php echo P2PFlux::h($this->url('p2p', 'map', array('map' => (string)($placement['map'] ?? '')))) ?>"><?php echo P2PFlux::h($placement['map'] ?? null) ?></a></td>
				<td><?php echo P2PFlux::h($placement['epoch'] ?? null) ?></td>
				<td><?php echo P2PFlux::h($placement['hostId'] ?? 'nobody') ?> <?php echo P2PFlux::h($placement['kind'] ?? '') ?></td>
				<td><?php echo P2PFlux::h($placement['reason'] ?? null) ?></td>
				<td><?php echo P2PFlux::number($placement['score']['total'] ?? null) ?></td>
				<td>
					<?php foreach ((array)($placement['candidates'] ?? array()) as $candidate): ?>
						<?php echo P2PFlux::h($candidate['hostId'] ?? null) ?>
						(<?php echo isset($candidate['refused']) ? 'refused: ' . P2PFlux::h($candidate['refused']) : P2PFlux::number($candidate['score']['total'] ?? null) ?>)<br />
					<?php endforeach ?>
				</td>
			</tr>
		<?php endforeach ?>
	</table>
<?php else: ?>
	<p>None recorded.</p>
<?php endif ?>

<?php if (!defined('FLUX_ROOT')) exit; ?>
<h2>P2P Map <?php echo P2PFlux::h($mapName) ?></h2>
<p><a href="<?php echo P2PFlux::h($this->url('p2p', 'maps')) ?>">&laquo; All maps</a></p>
<?php if (!empty($errorMessage)): ?>
	<p class="red"><?php echo P2PFlux::h($errorMessage) ?></p>
<?php endif ?>
<?php if ($map): ?>
	<?php
		$summary    = $map['summary'] ?? array();
		$policy     = $summary['policy'] ?? array();
		$assignment = $map['assignment'] ?? null;
	?>
	<table class="vertical-table">
		<tr><th>Status</th><td><?php echo P2PFlux::h($summary['status'] ?? null) ?></td></tr>
		<tr>
			<th>Host</th>
			<td>
				<?php if (!empty($summary['hostId'])): ?>
					<a href="<?php echo P2PFlux::h($this->url('p2p', 'host', array('id' => (string)$summary['hostId']))) ?>"><?php echo P2PFlux::h($summary['hostId']) ?></a>
					(<?php echo P2PFlux::h($summary['hostKind'] ?? null) ?>)
				<?php else: ?>none<?php endif ?>
			</td>
		</tr>
		<tr><th>Why there</th><td><?php echo P2PFlux::h($summary['why'] ?? null) ?></td></tr>
		<tr><th>Epoch</th><td><?php echo P2PFlux::h($summary['epoch'] ?? null) ?></td></tr>
		<tr><th>Instance</th><td><?php echo P2PFlux::h($summary['instanceState'] ?? null) ?></td></tr>
		<tr><th>Players</th><td><?php echo P2PFlux::h($summary['players'] ?? 0) ?> / <?php echo P2PFlux::h($policy['maxPlayers'] ?? null) ?></td></tr>
		<tr><th>Endpoint</th><td><?php echo P2PFlux::h($assignment['endpoint'] ?? null) ?></td></tr>
		<tr><th>Assigned at</th><td><?php echo P2PFlux::when($assignment['assignedAt'] ?? null) ?></td></tr>
		<tr>
			<th>Policy</th>
			<td>
				critical <?php echo P2PFlux::h((bool)($policy['critical'] ?? false)) ?>,
				P2P allowed <?php echo P2PFlux::h((bool)($policy['p2pAllowed'] ?? false)) ?>,
				min score <?php echo P2PFlux::number($policy['minScore'] ?? null) ?>
				<?php if (!empty($map['policyOverridden'])): ?><em>(changed at run time over the configured policy)</em><?php endif ?>
			</td>
		</tr>
	</table>

	<h3>Placement history</h3>
	<?php $placements = (array)($map['history'] ?? array()) ?>
	<?php include __DIR__ . '/placements.inc.php' ?>

	<?php if ($canOperate): ?>
		<h3>Move</h3>
		<form action="<?php echo P2PFlux::h($this->url('p2p', 'map', array('map' => $mapName))) ?>" method="post" class="generic-form">
			<?php echo Flux_Security::csrfGenerate('P2PMap', true) ?>
			<label for="p2p_to">To host id, or <code>vps</code> for the best VPS host</label>
			<input type="text" name="to" id="p2p_to" value="vps" maxlength="128" required="required" />
			<button type="submit" onclick="return confirm('Move this map? Its players are saved and follow it.')">Move</button>
		</form>
		<?php $disabled = ($summary['status'] ?? null) === 'disabled' ?>
		<h3><?php echo $disabled ? 'Enable' : 'Disable' ?></h3>
		<form action="<?php echo P2PFlux::h($this->url('p2p', 'map', array('map' => $mapName))) ?>" method="post" class="generic-form">
			<?php echo Flux_Security::csrfGenerate('P2PMap', true) ?>
			<input type="hidden" name="op" value="<?php echo $disabled ? 'enable' : 'disable' ?>" />
			<?php if ($disabled): ?>
				<button type="submit">Enable (place it again)</button>
			<?php else: ?>
				<button type="submit" onclick="return confirm('Disable this map? It leaves its host and players cannot enter it until it is enabled.')">Disable</button>
			<?php endif ?>
		</form>
	<?php endif ?>
<?php endif ?>

<?php if (!defined('FLUX_ROOT')) exit; // p2p/index redirects to p2p/dashboard before rendering. ?>

<?php
// Where the p2p module finds the P2PCluster admin API. Read by lib/P2PFlux.php; a bad value shows an error naming the
// setting on every p2p page instead of calling the API.
return array(
	// The silo's http.urls address (scheme, host, port; no /api/v1). Use https:// unless FluxCP and the silo share a
	// host: the key travels in every request. The environment variable P2P_ADMIN_API_URL, when set, wins.
	'ApiUrl'         => (string)(getenv('P2P_ADMIN_API_URL') ?: 'http://127.0.0.1:8080'),

	// An API key from the silo's admin.api_keys (or keys_file). An "operate" key lets FluxCP admins approve, ban,
	// drain and move; a "read" key makes every page read-only whatever the FluxCP level. Prefer the environment
	// variable over writing the key here.
	'ApiKey'         => (string)getenv('P2P_ADMIN_API_KEY'),

	// Whole-request limit in seconds (0 < x <= 600). Operate calls wait for maps to move, so allow a few seconds.
	'TimeoutSeconds' => 15,

	// Check the silo's TLS certificate and name. Turn off only for a self-signed development certificate; or keep it
	// on and point CaFile at the certificate authority that signed the silo's certificate.
	'VerifyTls'      => true,
	'CaFile'         => null,

	// Hosts per page on p2p/hosts (1..500, the API's limit).
	'HostsPerPage'   => 50,
);

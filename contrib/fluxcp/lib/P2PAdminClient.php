<?php
declare(strict_types=1);

require_once __DIR__ . '/P2PAdminException.php';
require_once __DIR__ . '/P2PTransportException.php';

/**
 * A plain client for the P2PCluster admin API (/api/v1, docs/admin-api.md): one method per route, answers as decoded
 * JSON arrays (camelCase keys, enums as lowercase strings), errors as exceptions. Needs only ext-curl and ext-json,
 * nothing from FluxCP, so it can be used and tested on its own.
 *
 * - An error answer throws P2PAdminException with the HTTP status and the problem details (type, title, detail,
 *   field, code).
 * - No answer (connection refused, TLS failure, timeout) or an answer that is not JSON throws P2PTransportException.
 * - Bad arguments that would make a wrong request (an empty host id, a key with a line break) throw
 *   InvalidArgumentException before anything is sent.
 */
final class P2PAdminClient
{
    private const USER_AGENT = 'P2PAdminClient/1 (FluxCP)';

    /** @var string */
    private $baseUrl;
    /** @var string */
    private $apiKey;
    /** @var int */
    private $timeoutMs;
    /** @var bool */
    private $verifyTls;
    /** @var string|null */
    private $caFile;

    /**
     * @param string      $baseUrl        The silo's HTTP address, e.g. "https://silo1.example.net:8080" (no /api/v1).
     * @param string      $apiKey         A read or operate key from the silo's admin.api_keys.
     * @param float       $timeoutSeconds Whole-request limit; the connect limit is the smaller of this and 5 s.
     * @param bool        $verifyTls      Check the server's certificate and name (leave on outside development).
     * @param string|null $caFile         A CA bundle for a private certificate authority.
     */
    public function __construct(
        string $baseUrl,
        string $apiKey,
        float $timeoutSeconds = 10.0,
        bool $verifyTls = true,
        ?string $caFile = null
    ) {
        if (!extension_loaded('curl')) {
            throw new LogicException('P2PAdminClient needs the PHP curl extension (Debian: php-curl).');
        }
        $scheme = strtolower((string)parse_url($baseUrl, PHP_URL_SCHEME));
        if ($scheme !== 'http' && $scheme !== 'https') {
            throw new InvalidArgumentException("baseUrl must start with http:// or https://, got '$baseUrl'.");
        }
        if ($apiKey === '' || preg_match('/[\x00-\x20\x7f]/', $apiKey) === 1) {
            throw new InvalidArgumentException('apiKey must be non-empty, without spaces or control characters.');
        }
        if (!($timeoutSeconds > 0) || $timeoutSeconds > 600) {
            throw new InvalidArgumentException('timeoutSeconds must be above 0 and at most 600.');
        }
        $this->baseUrl = rtrim($baseUrl, '/');
        $this->apiKey = $apiKey;
        $this->timeoutMs = (int)ceil($timeoutSeconds * 1000);
        $this->verifyTls = $verifyTls;
        $this->caFile = $caFile;
    }

    /** GET /summary: silos, host and map counts, players online, network state, active alerts. */
    public function summary(): array
    {
        return $this->request('GET', '/summary');
    }

    /**
     * GET /hosts: one page of hosts, best score first.
     *
     * @param string|null $status offline|online|draining|banned, or null for all.
     * @param string|null $kind   p2p|vps, or null for both.
     * @return array{total: int, offset: int, items: array} the page.
     */
    public function hosts(?string $status = null, ?string $kind = null, int $offset = 0, int $limit = 50): array
    {
        return $this->request('GET', '/hosts', array(
            'status' => $status,
            'kind' => $kind,
            'offset' => $offset,
            'limit' => $limit,
        ));
    }

    /** GET /hosts/{hostId}: fingerprint, endpoint, load, maps with epochs, reliability, recent placements. */
    public function host(string $hostId): array
    {
        return $this->request('GET', '/hosts/' . self::segment('hostId', $hostId));
    }

    /** POST /hosts/{hostId}/approve. */
    public function approve(string $hostId): array
    {
        return $this->hostAction($hostId, 'approve');
    }

    /** POST /hosts/{hostId}/unapprove. */
    public function unapprove(string $hostId): array
    {
        return $this->hostAction($hostId, 'unapprove');
    }

    /** POST /hosts/{hostId}/ban: closes its connection, moves its maps, refuses reconnects. */
    public function ban(string $hostId): array
    {
        return $this->hostAction($hostId, 'ban');
    }

    /** POST /hosts/{hostId}/unban. */
    public function unban(string $hostId): array
    {
        return $this->hostAction($hostId, 'unban');
    }

    /** POST /hosts/{hostId}/drain: maps moved, no new maps. */
    public function drain(string $hostId): array
    {
        return $this->hostAction($hostId, 'drain');
    }

    /** POST /hosts/{hostId}/undrain. */
    public function undrain(string $hostId): array
    {
        return $this->hostAction($hostId, 'undrain');
    }

    /** GET /maps: every map by name. @return array the list of map summaries. */
    public function maps(): array
    {
        return self::items($this->request('GET', '/maps'));
    }

    /** GET /maps/{name}: policy, assignment, epoch, players, placement history. */
    public function map(string $name): array
    {
        return $this->request('GET', '/maps/' . self::segment('name', $name));
    }

    /**
     * POST /maps/{name}/move.
     *
     * @param string $to A host id, or "vps" for the best VPS host.
     */
    public function moveMap(string $name, string $to): array
    {
        return $this->request('POST', '/maps/' . self::segment('name', $name) . '/move', array(), array(
            'to' => self::nonEmpty('to', $to),
        ));
    }

    /** POST /maps/{name}/disable: the map leaves its host; players' resolves are refused until it is enabled. */
    public function disableMap(string $name): array
    {
        return $this->request('POST', '/maps/' . self::segment('name', $name) . '/disable');
    }

    /** POST /maps/{name}/enable: a disabled map is placed again. */
    public function enableMap(string $name): array
    {
        return $this->request('POST', '/maps/' . self::segment('name', $name) . '/enable');
    }

    /**
     * PATCH /maps/{name}/policy: only the fields given change.
     *
     * @param array $patch Any of critical (bool), p2pAllowed (bool), minScore (number), maxPlayers (int).
     */
    public function setMapPolicy(string $name, array $patch): array
    {
        $allowed = array('critical', 'p2pAllowed', 'minScore', 'maxPlayers');
        if ($patch === array()) {
            throw new InvalidArgumentException('patch must name at least one of: ' . implode(', ', $allowed) . '.');
        }
        foreach (array_keys($patch) as $key) {
            if (!in_array($key, $allowed, true)) {
                throw new InvalidArgumentException("patch field '$key' is not one of: " . implode(', ', $allowed) . '.');
            }
        }
        return $this->request('PATCH', '/maps/' . self::segment('name', $name) . '/policy', array(), $patch);
    }

    /** GET /network: whether P2P placement is paused, since when and by whom. */
    public function network(): array
    {
        return $this->request('GET', '/network');
    }

    /** POST /network/emergency-failover: every map on a P2P host moves to VPS; P2P pauses until resume. */
    public function emergencyFailover(): array
    {
        return $this->request('POST', '/network/emergency-failover');
    }

    /** POST /network/resume: P2P placement resumes. */
    public function resume(): array
    {
        return $this->request('POST', '/network/resume');
    }

    /** POST /network/reset: every assignment revoked with a new epoch, maps placed again. */
    public function resetNetwork(): array
    {
        return $this->request('POST', '/network/reset');
    }

    /**
     * GET /sessions by exactly one of account id, character id or character name.
     *
     * @return array the list of session details.
     */
    public function sessions(?int $accountId = null, ?int $charId = null, ?string $name = null): array
    {
        $given = ($accountId !== null ? 1 : 0) + ($charId !== null ? 1 : 0) + ($name !== null ? 1 : 0);
        if ($given !== 1) {
            throw new InvalidArgumentException('Give exactly one of accountId, charId, name.');
        }
        return self::items($this->request('GET', '/sessions', array(
            'accountId' => $accountId,
            'charId' => $charId,
            'name' => $name,
        )));
    }

    /** POST /sessions/{charId}/end: the host saves and drops the player. */
    public function endSession(int $charId): array
    {
        return $this->request('POST', '/sessions/' . $charId . '/end');
    }

    /**
     * GET /alerts.
     *
     * @param string $state "active" or "history".
     * @return array the list of alerts.
     */
    public function alerts(string $state = 'active', ?int $limit = null): array
    {
        return self::items($this->request('GET', '/alerts', array('state' => $state, 'limit' => $limit)));
    }

    /** GET /audit: the latest operate calls (at, keyName, action, target, result). @return array the list. */
    public function audit(?int $limit = null): array
    {
        return self::items($this->request('GET', '/audit', array('limit' => $limit)));
    }

    private function hostAction(string $hostId, string $action): array
    {
        return $this->request('POST', '/hosts/' . self::segment('hostId', $hostId) . '/' . $action);
    }

    /**
     * @param array<string, scalar|null> $query null values are left out.
     * @param array<string, mixed>|null  $body  sent as JSON when given.
     */
    private function request(string $method, string $path, array $query = array(), ?array $body = null): array
    {
        $query = array_filter($query, static function ($value): bool {
            return $value !== null;
        });
        $url = $this->baseUrl . '/api/v1' . $path;
        if ($query !== array()) {
            $url .= '?' . http_build_query($query, '', '&', PHP_QUERY_RFC3986);
        }
        $headers = array(
            'Authorization: Bearer ' . $this->apiKey,
            'Accept: application/json, application/problem+json',
        );
        $payload = null;
        if ($body !== null) {
            $payload = json_encode($body, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
            if ($payload === false) {
                throw new InvalidArgumentException('Request body is not encodable as JSON: ' . json_last_error_msg());
            }
            $headers[] = 'Content-Type: application/json';
        }

        $curl = curl_init();
        if ($curl === false) {
            throw new P2PTransportException('curl_init failed.');
        }
        $options = array(
            CURLOPT_URL => $url,
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_HTTPHEADER => $headers,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_FOLLOWLOCATION => false, // a redirect would carry the key elsewhere
            CURLOPT_CONNECTTIMEOUT_MS => min($this->timeoutMs, 5000),
            CURLOPT_TIMEOUT_MS => $this->timeoutMs,
            CURLOPT_SSL_VERIFYPEER => $this->verifyTls,
            CURLOPT_SSL_VERIFYHOST => $this->verifyTls ? 2 : 0,
            CURLOPT_USERAGENT => self::USER_AGENT,
            CURLOPT_NOSIGNAL => true,
        );
        if (defined('CURLOPT_PROTOCOLS')) {
            $options[CURLOPT_PROTOCOLS] = CURLPROTO_HTTP | CURLPROTO_HTTPS;
        }
        if ($this->caFile !== null && $this->caFile !== '') {
            $options[CURLOPT_CAINFO] = $this->caFile;
        }
        if ($payload !== null) {
            $options[CURLOPT_POSTFIELDS] = $payload;
        } elseif ($method === 'POST') {
            $options[CURLOPT_POSTFIELDS] = ''; // Content-Length: 0, not a chunked empty body
        }
        curl_setopt_array($curl, $options);

        $response = curl_exec($curl);
        $errno = curl_errno($curl);
        $error = curl_error($curl);
        $status = (int)curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        curl_close($curl);

        if ($response === false || $errno !== 0) {
            throw new P2PTransportException("P2P admin API $method $path: $error (curl error $errno)", $errno);
        }
        $response = (string)$response;
        if ($status < 200 || $status > 299) {
            throw P2PAdminException::fromResponse($status, $response);
        }
        $decoded = json_decode($response, true);
        if (!is_array($decoded)) {
            throw new P2PTransportException("P2P admin API $method $path: HTTP $status with a body that is not a JSON object.");
        }
        return $decoded;
    }

    private static function items(array $wrapped): array
    {
        if (!isset($wrapped['items']) || !is_array($wrapped['items'])) {
            throw new P2PTransportException('P2P admin API: the answer has no "items" list.');
        }
        return $wrapped['items'];
    }

    private static function segment(string $name, string $value): string
    {
        return rawurlencode(self::nonEmpty($name, $value));
    }

    private static function nonEmpty(string $name, string $value): string
    {
        if (trim($value) === '') {
            throw new InvalidArgumentException("$name must not be empty.");
        }
        return $value;
    }
}

<?php
declare(strict_types=1);

require_once __DIR__ . '/P2PAdminClient.php';

/**
 * The p2p module's glue to FluxCP: reads config/p2p.php once, builds the client, and turns answers and errors into
 * text for the operator. describe() and resultText() return plain text (modules keep it raw; the themes and FluxCP's
 * header escape it on output); h(), number() and when() return HTML-escaped text for the themes.
 */
final class P2PFlux
{
    /** Host actions a form may post, each a P2PAdminClient method of the same name. */
    public const HOST_ACTIONS = array('approve', 'unapprove', 'ban', 'unban', 'drain', 'undrain');

    /** Network actions the dashboard may post, mapped to their client methods. */
    public const NETWORK_ACTIONS = array('emergency-failover' => 'emergencyFailover', 'resume' => 'resume');

    public const HOST_STATUSES = array('offline', 'online', 'draining', 'banned');

    public const HOST_KINDS = array('p2p', 'vps');

    /** @var array|null */
    private static $settings;

    /** @var P2PAdminClient|null */
    private static $client;

    /** config/p2p.php, checked: a bad value throws naming the setting. */
    public static function settings(): array
    {
        if (self::$settings !== null) {
            return self::$settings;
        }
        $file = dirname(__DIR__) . '/config/p2p.php';
        $settings = require $file;
        if (!is_array($settings)) {
            throw new UnexpectedValueException("$file must return an array.");
        }
        $url = (string)($settings['ApiUrl'] ?? '');
        if (!preg_match('#^https?://[^/\s]+#i', $url)) {
            throw new UnexpectedValueException("config/p2p.php: ApiUrl must be an http:// or https:// address, got '$url'.");
        }
        if ((string)($settings['ApiKey'] ?? '') === '') {
            throw new UnexpectedValueException('config/p2p.php: ApiKey is empty (set it, or the P2P_ADMIN_API_KEY environment variable).');
        }
        $timeout = $settings['TimeoutSeconds'] ?? 15;
        if (!is_numeric($timeout) || $timeout <= 0 || $timeout > 600) {
            throw new UnexpectedValueException('config/p2p.php: TimeoutSeconds must be a number above 0 and at most 600.');
        }
        $perPage = $settings['HostsPerPage'] ?? 50;
        if (!is_int($perPage) || $perPage < 1 || $perPage > 500) {
            throw new UnexpectedValueException('config/p2p.php: HostsPerPage must be a whole number from 1 to 500.');
        }
        if (!is_bool($settings['VerifyTls'] ?? true)) {
            throw new UnexpectedValueException('config/p2p.php: VerifyTls must be true or false.');
        }
        return self::$settings = $settings;
    }

    public static function client(): P2PAdminClient
    {
        if (self::$client === null) {
            $settings = self::settings();
            self::$client = new P2PAdminClient(
                (string)$settings['ApiUrl'],
                (string)$settings['ApiKey'],
                (float)($settings['TimeoutSeconds'] ?? 15),
                (bool)($settings['VerifyTls'] ?? true),
                isset($settings['CaFile']) ? (string)$settings['CaFile'] : null
            );
        }
        return self::$client;
    }

    /** What went wrong, for the operator, as plain text. The key never appears: no message carries it. */
    public static function describe(Throwable $error): string
    {
        if ($error instanceof P2PAdminException) {
            switch ($error->getStatus()) {
                case 401:
                    $text = 'The P2P API refused the key in config/p2p.php (missing or wrong).';
                    break;
                case 403:
                    $text = 'The key in config/p2p.php is a read key: this action needs an operate key.';
                    break;
                case 429:
                    $text = 'The P2P API is refusing this server for a while after too many failed keys.';
                    break;
                default:
                    $text = $error->getTitle();
                    if ($error->getDetail() !== null) {
                        $text .= ': ' . $error->getDetail();
                    }
                    if ($error->getField() !== null) {
                        $text .= ' (field ' . $error->getField() . ')';
                    }
            }
            return $text . ' [HTTP ' . $error->getStatus() . ']';
        }
        if ($error instanceof P2PTransportException) {
            return 'The P2P API did not answer: ' . $error->getMessage();
        }
        return $error->getMessage();
    }

    /** One line saying what an operate call did, as plain text (for $session->setMessageData). */
    public static function resultText(array $result): string
    {
        $text = (string)($result['message'] ?? (($result['action'] ?? 'action') . ' ' . ($result['target'] ?? '')));
        if (empty($result['changed'])) {
            $text .= ' (nothing to change: it was already so)';
        }
        $moves = array();
        foreach ((array)($result['moved'] ?? array()) as $move) {
            $moves[] = ($move['map'] ?? '?') . ' → ' . ($move['toHost'] ?? ($move['toKind'] ?? 'unassigned'))
                . ' (epoch ' . ($move['epoch'] ?? '?') . ')';
        }
        if ($moves !== array()) {
            $text .= '. Moved: ' . implode(', ', $moves);
        }
        return $text;
    }

    /** HTML-escapes any value for text or a quoted attribute; null and '' show as a dash. */
    public static function h($value): string
    {
        if ($value === null || $value === '') {
            return '–';
        }
        if (is_bool($value)) {
            return $value ? 'yes' : 'no';
        }
        if (is_float($value)) {
            $value = number_format($value, 1, '.', '');
        }
        if (is_array($value)) {
            $value = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        }
        return htmlspecialchars((string)$value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    /** A number with the given decimals, or a dash for none; escaped. */
    public static function number($value, int $decimals = 1): string
    {
        return is_numeric($value) ? self::h(number_format((float)$value, $decimals, '.', '')) : '–';
    }

    /** An ISO 8601 time from the API as "Y-m-d H:i:s UTC", or a dash; escaped. */
    public static function when($iso): string
    {
        if (!is_string($iso) || $iso === '') {
            return '–';
        }
        $time = strtotime($iso);
        return $time === false ? self::h($iso) : self::h(gmdate('Y-m-d H:i:s', $time) . ' UTC');
    }
}

<?php
declare(strict_types=1);

/**
 * The P2PCluster admin API answered with an error: the HTTP status and the RFC 7807 problem details it sent
 * (type, title, detail, and where given the offending field and an error code).
 */
final class P2PAdminException extends RuntimeException
{
    /** @var int */
    private $status;
    /** @var string */
    private $type;
    /** @var string */
    private $title;
    /** @var string|null */
    private $detail;
    /** @var string|null */
    private $field;
    /** @var string|null */
    private $errorCode;

    public function __construct(
        int $status,
        string $type,
        string $title,
        ?string $detail = null,
        ?string $field = null,
        ?string $errorCode = null
    ) {
        $message = "P2P admin API: HTTP $status $title";
        if ($detail !== null && $detail !== '') {
            $message .= ": $detail";
        }
        if ($field !== null && $field !== '') {
            $message .= " (field: $field)";
        }
        parent::__construct($message, $status);
        $this->status = $status;
        $this->type = $type;
        $this->title = $title;
        $this->detail = $detail;
        $this->field = $field;
        $this->errorCode = $errorCode;
    }

    /**
     * Builds the exception from a response body; a body that is not problem JSON (a proxy's HTML page, say) still
     * gives the status, with the title taken from the status.
     */
    public static function fromResponse(int $status, string $body): self
    {
        $problem = json_decode($body, true);
        if (!is_array($problem)) {
            return new self($status, 'about:blank', self::statusTitle($status));
        }
        return new self(
            $status,
            self::stringOrNull($problem, 'type') ?? 'about:blank',
            self::stringOrNull($problem, 'title') ?? self::statusTitle($status),
            self::stringOrNull($problem, 'detail'),
            self::stringOrNull($problem, 'field'),
            self::stringOrNull($problem, 'code')
        );
    }

    public function getStatus(): int
    {
        return $this->status;
    }

    public function getType(): string
    {
        return $this->type;
    }

    public function getTitle(): string
    {
        return $this->title;
    }

    public function getDetail(): ?string
    {
        return $this->detail;
    }

    /** The request field or parameter the API named as wrong, if any. */
    public function getField(): ?string
    {
        return $this->field;
    }

    /** The API's error code (the problem's "code" member), if any. */
    public function getErrorCode(): ?string
    {
        return $this->errorCode;
    }

    /** @param array<string, mixed> $problem */
    private static function stringOrNull(array $problem, string $key): ?string
    {
        if (!array_key_exists($key, $problem) || $problem[$key] === null) {
            return null;
        }
        return is_scalar($problem[$key]) ? (string)$problem[$key] : json_encode($problem[$key]);
    }

    private static function statusTitle(int $status): string
    {
        $titles = array(
            400 => 'Bad Request', 401 => 'Unauthorized', 403 => 'Forbidden', 404 => 'Not Found',
            409 => 'Conflict', 429 => 'Too Many Requests', 500 => 'Internal Server Error',
            502 => 'Bad Gateway', 503 => 'Service Unavailable', 504 => 'Gateway Timeout',
        );
        return $titles[$status] ?? "HTTP $status";
    }
}

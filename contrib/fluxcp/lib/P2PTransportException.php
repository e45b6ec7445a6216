<?php
declare(strict_types=1);

/**
 * The P2PCluster admin API could not be reached or did not answer in time (connection refused, DNS, TLS, timeout),
 * or answered with something that is not the API's JSON. Carries curl's error number where curl gave one.
 */
final class P2PTransportException extends RuntimeException
{
    /** @var int */
    private $curlErrno;

    public function __construct(string $message, int $curlErrno = 0)
    {
        parent::__construct($message, $curlErrno);
        $this->curlErrno = $curlErrno;
    }

    public function getCurlErrno(): int
    {
        return $this->curlErrno;
    }

    /** Whether the request ran out of time (curl's CURLE_OPERATION_TIMEDOUT). */
    public function isTimeout(): bool
    {
        return $this->curlErrno === 28;
    }
}

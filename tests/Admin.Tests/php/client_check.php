<?php
// Drives contrib/fluxcp/lib/P2PAdminClient.php for tests/Admin.Tests/PhpClientTests: one step per run, its outcome
// printed as one JSON object on stdout. Exit 0 when the step went as the test expects to read it; 2 for bad usage;
// 1 (with the exception on stderr) for anything else.
//
//   php client_check.php hosts   <baseUrl> <key> [status] [kind]
//   php client_check.php host    <baseUrl> <key> <hostId>
//   php client_check.php drain   <baseUrl> <key> <hostId>
//   php client_check.php problem <baseUrl> <key> <route>      route: host-unknown | hosts-bad-limit | summary
//   php client_check.php tour    <baseUrl> <key>              every read method once
//   php client_check.php transport <baseUrl>                  a silo that is not there
declare(strict_types=1);
error_reporting(E_ALL);
set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

require_once __DIR__ . '/../../../contrib/fluxcp/lib/P2PAdminClient.php';

$step = $argv[1] ?? '';
$url  = $argv[2] ?? '';
$key  = $argv[3] ?? 'unused-key';

function problem(P2PAdminException $e): array
{
    return array(
        'class' => get_class($e),
        'status' => $e->getStatus(),
        'type' => $e->getType(),
        'title' => $e->getTitle(),
        'detail' => $e->getDetail(),
        'field' => $e->getField(),
        'code' => $e->getErrorCode(),
    );
}

try {
    $client = new P2PAdminClient($url, $key, 20.0, false);
    switch ($step) {
        case 'hosts':
            $out = $client->hosts($argv[4] ?? null, $argv[5] ?? null, 0, 100);
            break;
        case 'host':
            $out = $client->host($argv[4]);
            break;
        case 'drain':
            $out = $client->drain($argv[4]);
            break;
        case 'tour':
            $maps = $client->maps();
            $first = $maps[0]['name'] ?? '';
            $out = array(
                'summarySilos' => count($client->summary()['silos']),
                'maps' => count($maps),
                'mapName' => $client->map($first)['summary']['name'],
                'p2pPaused' => $client->network()['p2pPaused'],
                'alertsActive' => count($client->alerts('active')),
                'alertsHistory' => count($client->alerts('history', 10)),
                'audit' => $client->audit(20),
                'sessionsByAccount' => $client->sessions(2000000),
                'sessionsByName' => $client->sessions(null, null, 'Alice'),
            );
            break;
        case 'problem':
            try {
                switch ($argv[4] ?? '') {
                    case 'host-unknown':
                        $client->host('no-such-host-' . bin2hex(random_bytes(4)));
                        break;
                    case 'hosts-bad-limit':
                        $client->hosts(null, null, 0, 100000);
                        break;
                    default:
                        $client->summary();
                }
                $out = array('class' => null);
            } catch (P2PAdminException $e) {
                $out = problem($e);
            }
            break;
        case 'transport':
            try {
                $client->summary();
                $out = array('class' => null);
            } catch (P2PTransportException $e) {
                $out = array('class' => get_class($e), 'message' => $e->getMessage(), 'curlErrno' => $e->getCurlErrno());
            }
            break;
        default:
            fwrite(STDERR, "unknown step '$step'\n");
            exit(2);
    }
    echo json_encode($out, JSON_UNESCAPED_SLASHES), "\n";
    exit(0);
} catch (Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}

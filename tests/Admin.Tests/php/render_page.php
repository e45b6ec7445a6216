<?php
// Renders one page of the FluxCP module (contrib/fluxcp/modules/p2p/<action>.php, then its theme) the way FluxCP
// does — module and theme in one scope, with $this, $params, $session and $auth — but with stand-ins for FluxCP's
// classes, so tests/Admin.Tests/PhpPagesTests can run the pages against a live silo without a FluxCP install.
// The API address and key come from P2P_ADMIN_API_URL and P2P_ADMIN_API_KEY, as config/p2p.php reads them.
//
//   php render_page.php <action> <params JSON> <POST JSON or ''> <operate: 0|1>
//
// Prints one JSON object: {"outcome": "rendered"|"redirect"|"denied", "html", "redirect", "messages"}. Any PHP
// warning, notice or deprecation fails the run (exit 1, message on stderr).
declare(strict_types=1);
error_reporting(E_ALL);
set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

define('FLUX_ROOT', __DIR__);

/** FluxCP's $this->redirect() ends the request; here it ends the page with this. */
final class StubRedirect extends Exception
{
    public $url;

    public function __construct($url)
    {
        parent::__construct('redirect');
        $this->url = $url;
    }
}

final class StubDenied extends Exception
{
}

final class StubParams
{
    private $values;

    public function __construct(array $values)
    {
        $this->values = $values;
    }

    public function get($key)
    {
        return $this->values[$key] ?? null;
    }
}

final class StubSession
{
    public $messages = array();

    public function setMessageData($message)
    {
        $this->messages[] = $message;
    }
}

final class StubAuth
{
    public $allowedToP2POperate;

    public function __construct(bool $operate)
    {
        $this->allowedToP2POperate = $operate;
    }
}

/** FluxCP's CSRF helper: a token per form name, in a hidden input named like FluxCP's. */
final class Flux_Security
{
    public static function csrfGenerate($name, $htmlOutput = false)
    {
        $token = 'token-' . $name;
        return $htmlOutput ? '<input type="hidden" name="csrf_token" value="' . $token . '" />' : $token;
    }

    public static function csrfValidate($name, $data, &$error)
    {
        if (($data['csrf_token'] ?? '') === 'token-' . $name) {
            return true;
        }
        $error = 'Security token mismatch: reload the page and try again.';
        return false;
    }
}

final class StubTemplate
{
    public function url($module, $action = 'index', $params = array())
    {
        return '/?' . http_build_query(array('module' => $module, 'action' => $action) + $params);
    }

    public function redirect($url = null)
    {
        throw new StubRedirect($url);
    }

    public function deny()
    {
        throw new StubDenied();
    }

    public function loginRequired()
    {
    }

    /** Module, then theme, in one scope: the theme sees the module's variables, as in FluxCP. */
    public function render(string $action, StubParams $params, StubSession $session, StubAuth $auth): string
    {
        $root = __DIR__ . '/../../../contrib/fluxcp';
        ob_start();
        try {
            include "$root/modules/p2p/$action.php";
            include "$root/themes/default/p2p/$action.php";
        } finally {
            $html = (string)ob_get_clean();
        }
        return $html;
    }
}

$action = $argv[1] ?? '';
if (!preg_match('/^[a-z]+$/', $action)) {
    fwrite(STDERR, "bad action '$action'\n");
    exit(2);
}
$query = json_decode($argv[2] ?? '{}', true) ?: array();
$post = ($argv[3] ?? '') === '' ? array() : json_decode($argv[3], true);
$_POST = $post;
$session = new StubSession();
$out = array('outcome' => 'rendered', 'html' => '', 'redirect' => null, 'messages' => array());
try {
    $out['html'] = (new StubTemplate())->render($action, new StubParams($query + $post), $session, new StubAuth(($argv[4] ?? '0') === '1'));
} catch (StubRedirect $r) {
    $out['outcome'] = 'redirect';
    $out['redirect'] = $r->url;
} catch (StubDenied $d) {
    $out['outcome'] = 'denied';
} catch (Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine() . "\n");
    exit(1);
}
$out['messages'] = $session->messages;
echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";

<?php
// OpenAPI Generator's php client against the mock (clients/matrix, issue 15), with Debian's PHP and Guzzle.
// Inputs and expected answers come from $FIXTURES (clients/article_fixtures.py): nothing is restated here.
// run.sh copies this file beside the generated client (client/lib).
declare(strict_types=1);

// Debian's Guzzle has no composer: its packages ship autoload files on PHP's include_path (/usr/share/php).
require_once 'GuzzleHttp/autoload.php';
// The generated client's PSR-4 autoload (composer.json: "OpenAPI\\Client\\" => "lib/"), by hand.
spl_autoload_register(static function (string $class): void {
    $prefix = 'OpenAPI\\Client\\';
    if (str_starts_with($class, $prefix)) {
        $file = __DIR__ . '/client/lib/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

use GuzzleHttp\Client;
use GuzzleHttp\HandlerStack;
use GuzzleHttp\Middleware;
use OpenAPI\Client\Api\RescueApi;
use OpenAPI\Client\Configuration;
use OpenAPI\Client\Model\ErrorDetail;
use OpenAPI\Client\Model\SelectOption;
use OpenAPI\Client\ObjectSerializer;

function fail(string $message): never
{
    fwrite(STDERR, "FAIL: {$message}\n");
    exit(1);
}

function errorText(ErrorDetail $error): string
{
    return $error->getType() . ': ' . ($error->getMsg()->getValue() ?? '');
}

set_exception_handler(static fn (Throwable $e) => fail('unexpected ' . get_class($e) . ': ' . $e->getMessage()));
set_error_handler(static fn (int $no, string $message, string $file, int $line) => fail("PHP error {$message} at {$file}:{$line}"));

$fixtures = json_decode(file_get_contents(getenv('FIXTURES') ?: fail('FIXTURES is not set')), true, 512, JSON_THROW_ON_ERROR);
$config = (new Configuration())->setHost(getenv('ZOMRO_MOCK_URL') ?: fail('ZOMRO_MOCK_URL is not set'));
// Guzzle's history middleware keeps each answer's body: the workaround below reads `val` from it.
$history = [];
$stack = HandlerStack::create();
$stack->push(Middleware::history($history));
$api = new RescueApi(new Client(['handler' => $stack]), $config);

// Each call takes the fixture's request as named arguments: the generated methods' parameters are the wire's
// field names (func, out, elid, select_boot, ...), so no field or value is restated here.

// 1. preview: the 15 images, read through the generated types.
$preview = $api->previewRescueImages(...$fixtures['preview']['request'])->getDoc();
if ($preview->getError() !== null) {
    fail('preview: error document ' . errorText($preview->getError()));
}
$index = null;
foreach ($preview->getSlist() ?? [] as $i => $list) {
    if ($list->getName() === 'select_boot') {
        $index = $i;
    }
}
$index !== null || fail('preview: no select_boot list');
// Workaround (OpenAPI Generator issue 2011: the php generator has no oneOf/anyOf type): SelectList.val,
// `anyOf [SelectOption, array of SelectOption]`, becomes one class of the object branch's fields, and an array
// is read as one empty option (`oneOf` gives the same class). Read `val` from the answer's body instead, each
// option turned into the generated SelectOption by the generated ObjectSerializer.
$raw = json_decode((string) end($history)['response']->getBody(), false, 512, JSON_THROW_ON_ERROR);
$val = $raw->doc->slist[$index]->val ?? [];
/** @var SelectOption[] $options */
$options = array_map(
    static fn (object $item): SelectOption => ObjectSerializer::deserialize($item, SelectOption::class),
    is_array($val) ? $val : [$val],
);
count($options) === count($fixtures['images']) || fail('preview: want ' . count($fixtures['images']) . ' images, got ' . count($options));
foreach ($fixtures['images'] as $i => $want) {
    $got = $options[$i];
    if ($got->getKey() !== $want['uuid'] || $got->getValue() !== $want['os_name'] || $got->getDepend() !== $want['zone']) {
        fail("preview image {$i}: want " . json_encode($want) . ', got ' . $got);
    }
}
echo 'ok: preview lists ' . count($options) . " images (key, name, zone as the fixtures)\n";

// 2. rescue: success read through the types.
$rescue = $api->rescueInstance(...$fixtures['rescue']['request'])->getDoc();
if ($rescue->getError() !== null || $rescue->getOk() === null) {
    fail('rescue: not doc.ok: ' . $rescue);
}
echo 'ok: rescue answered doc.ok ' . json_encode(ObjectSerializer::sanitizeForSerialization($rescue->getOk())) . "\n";

// 3. unrescue, then 4. the same unrescue again: the second gets BILLmanager's error document.
$unrescue = $api->unrescueInstance(...$fixtures['unrescue']['request'])->getDoc();
if ($unrescue->getError() !== null || $unrescue->getOk() === null) {
    fail('unrescue: not doc.ok: ' . $unrescue);
}
echo 'ok: unrescue answered doc.ok ' . json_encode(ObjectSerializer::sanitizeForSerialization($unrescue->getOk())) . "\n";

$again = $api->unrescueInstance(...$fixtures['unrescue']['request'])->getDoc();
$again->getError() !== null || fail('unrescue again: want an error document, got ' . $again);
echo 'ok: unrescue again is an error document (doc.error): ' . errorText($again->getError()) . "\n";

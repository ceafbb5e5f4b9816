# OpenAPI Generator's ruby client (library faraday) against the mock (clients/matrix, issue 15), with Debian's
# Ruby and Faraday. Inputs and expected answers come from $FIXTURES (clients/article_fixtures.py): nothing is
# restated here. run.sh puts the generated client's lib/ on the load path (ruby -I).
require 'json'
require 'uri'
require 'openapi_client'

def fail!(message)
  warn "FAIL: #{message}"
  exit 1
end

# A generated operation called with a fixture's request: its required parameters (the wire's field names, in the
# method's order) positionally, every other field in opts. No field name or value is restated here.
def call(api, operation, request)
  fields = request.transform_keys(&:to_sym)
  required = api.method(operation).parameters.select { |kind, _| kind == :req }.map(&:last)
  missing = required - fields.keys
  fail!("#{operation}: the fixture lacks #{missing}") unless missing.empty?
  api.public_send(operation, *fields.values_at(*required), fields.except(*required))
end

def error_text(doc)
  "#{doc.error.type}: #{doc.error.msg.value}"
end

begin
  fixtures = JSON.parse(File.read(ENV.fetch('FIXTURES')))
  config = OpenapiClient::Configuration.new
  mock = URI(ENV.fetch('ZOMRO_MOCK_URL'))
  config.scheme = mock.scheme
  config.host = "#{mock.host}:#{mock.port}"
  config.base_path = mock.path
  api = OpenapiClient::RescueApi.new(OpenapiClient::ApiClient.new(config))

  # 1. preview: the 15 images, read through the generated types.
  preview = call(api, :preview_rescue_images, fixtures['preview']['request']).doc
  fail!("preview: error document #{error_text(preview)}") if preview.is_a?(OpenapiClient::ErrorDoc)
  fail!("preview: not a RescuePreviewDoc: #{preview.inspect}") unless preview.is_a?(OpenapiClient::RescuePreviewDoc)
  list = preview.slist.find { |candidate| candidate.name == 'select_boot' } || fail!('preview: no select_boot list')
  options = list.val.is_a?(Array) ? list.val : [list.val].compact # one option comes as an object (out=json)
  images = fixtures['images']
  fail!("preview: want #{images.size} images, got #{options.size}") unless options.size == images.size
  images.each_with_index do |want, i|
    got = options[i]
    fail!("preview image #{i}: not a SelectOption: #{got.inspect}") unless got.is_a?(OpenapiClient::SelectOption)
    unless [got.key, got.value, got.depend] == want.values_at('uuid', 'os_name', 'zone')
      fail!("preview image #{i}: want #{want}, got #{got.to_hash}")
    end
  end
  puts "ok: preview lists #{options.size} images (key, name, zone as the fixtures)"

  # 2. rescue: success read through the types.
  rescue_doc = call(api, :rescue_instance, fixtures['rescue']['request']).doc
  fail!("rescue: not an OkDoc: #{rescue_doc.inspect}") unless rescue_doc.is_a?(OpenapiClient::OkDoc)
  puts "ok: rescue answered doc.ok #{rescue_doc.ok.to_hash.to_json}"

  # 3. unrescue, then 4. the same unrescue again: the second gets BILLmanager's error document.
  unrescue = call(api, :unrescue_instance, fixtures['unrescue']['request']).doc
  fail!("unrescue: not an OkDoc: #{unrescue.inspect}") unless unrescue.is_a?(OpenapiClient::OkDoc)
  puts "ok: unrescue answered doc.ok #{unrescue.ok.to_hash.to_json}"

  again = call(api, :unrescue_instance, fixtures['unrescue']['request']).doc
  fail!("unrescue again: want an ErrorDoc, got #{again.inspect}") unless again.is_a?(OpenapiClient::ErrorDoc)
  puts "ok: unrescue again is an ErrorDoc: #{error_text(again)}"
rescue OpenapiClient::ApiError, StandardError => e
  fail!("unexpected #{e.class}: #{e.message}")
end

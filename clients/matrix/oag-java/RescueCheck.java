// OpenAPI Generator's Java client (library native) against the mock: the brief's four calls.
// Inputs come from $FIXTURES (clients/article_fixtures.py); the mock's URL from $ZOMRO_MOCK_URL.
// Every answer is read through the generated types: the oneOf inside each answer's `doc` by its actual
// instance (RescuePreviewDoc, OkDoc or ErrorDoc), the images by the generated SelectOption class.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zomro.rescue.ApiClient;
import com.zomro.rescue.JSON;
import com.zomro.rescue.api.RescueApi;
import com.zomro.rescue.model.ErrorDetail;
import com.zomro.rescue.model.ErrorDoc;
import com.zomro.rescue.model.OkAnswer;
import com.zomro.rescue.model.OkDoc;
import com.zomro.rescue.model.RescuePreviewAnswer;
import com.zomro.rescue.model.RescuePreviewDoc;
import com.zomro.rescue.model.SelectList;
import com.zomro.rescue.model.SelectOption;
import java.io.File;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

public final class RescueCheck {
    private RescueCheck() {}

    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        try {
            run();
        } catch (Failure e) {
            System.err.println("FAIL: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("FAIL: " + e);
            System.exit(1);
        }
    }

    /** The request's fields must be exactly those this program passes, so none is dropped silently. */
    static JsonNode request(JsonNode fixtures, String step, String... sent) throws Failure {
        JsonNode request = fixtures.path(step).path("request");
        Set<String> have = new TreeSet<>();
        request.fieldNames().forEachRemaining(have::add);
        Set<String> want = new TreeSet<>(List.of(sent));
        if (!have.equals(want)) {
            throw new Failure(step + ": the fixture's fields " + have + " are not the ones this program sends " + want);
        }
        return request;
    }

    static String text(JsonNode request, String field) {
        return request.get(field).asText();
    }

    /** The one-or-many `val` is mapped to JsonNode (issue 12911); each option is read as the generated SelectOption. */
    static List<SelectOption> options(SelectList list) throws Exception {
        JsonNode val = list.getVal();
        List<SelectOption> found = new ArrayList<>();
        if (val == null) {
            return found;
        }
        Iterator<JsonNode> items = val.isArray() ? val.elements() : List.of(val).iterator();
        while (items.hasNext()) {
            found.add(JSON.getDefault().getMapper().treeToValue(items.next(), SelectOption.class));
        }
        return found;
    }

    static OkDoc ok(String step, OkAnswer answer) throws Failure {
        if (answer.getDoc().getActualInstance() instanceof OkDoc doc && doc.getOk() != null) {
            return doc;
        }
        throw new Failure(step + ": want the ok document, got " + answer.getDoc().getActualInstance());
    }

    static void run() throws Exception {
        JsonNode fixtures = new ObjectMapper().readTree(new File(System.getenv("FIXTURES")));
        ApiClient client = new ApiClient();
        client.updateBaseUri(System.getenv("ZOMRO_MOCK_URL"));
        RescueApi api = new RescueApi(client);

        // 1. preview: the 15 images, in order.
        JsonNode p = request(fixtures, "preview", "func", "out", "elid", "auth");
        RescuePreviewAnswer answer = api.previewRescueImages(text(p, "func"), text(p, "out"), p.get("elid").asLong(), text(p, "auth"), null, null);
        if (!(answer.getDoc().getActualInstance() instanceof RescuePreviewDoc form)) {
            throw new Failure("preview: want the rescue form, got " + answer.getDoc().getActualInstance());
        }
        JsonNode images = fixtures.get("images");
        // The image list is the one named after the rescue field that takes an image's UUID.
        JsonNode r = request(fixtures, "rescue", "func", "out", "sok", "elid", "select_boot", "zone", "password", "auth");
        String imageField = null;
        for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            for (JsonNode image : images) {
                if (r.get(name).asText().equals(image.get("uuid").asText())) {
                    imageField = name;
                }
            }
        }
        List<SelectOption> listed = null;
        for (SelectList list : form.getSlist()) {
            if (list.get$Name().equals(imageField)) {
                listed = options(list);
            }
        }
        if (listed == null || listed.size() != images.size()) {
            throw new Failure("preview: want " + images.size() + " images in the list " + imageField + ", got " + listed);
        }
        for (int i = 0; i < images.size(); i++) {
            JsonNode want = images.get(i);
            SelectOption got = listed.get(i);
            if (!want.get("uuid").asText().equals(got.get$Key()) || !want.get("os_name").asText().equals(got.getValue())
                    || !want.get("zone").asText().equals(got.get$Depend())) {
                throw new Failure("preview image " + i + ": want " + want + ", got " + got);
            }
        }
        System.out.println("ok: preview lists " + listed.size() + " images (key, name, zone as in the fixtures)");

        // 2. rescue.
        ok("rescue", api.rescueInstance(text(r, "func"), text(r, "out"), text(r, "sok"), r.get("elid").asLong(),
                UUID.fromString(text(r, "select_boot")), text(r, "zone"), text(r, "password"), null, null, null, text(r, "auth"), null, null));
        System.out.println("ok: rescue (doc is an OkDoc)");

        // 3. unrescue.
        JsonNode u = request(fixtures, "unrescue", "func", "out", "elid", "auth");
        ok("unrescue", api.unrescueInstance(text(u, "func"), text(u, "out"), u.get("elid").asLong(), null, text(u, "auth"), null, null));
        System.out.println("ok: unrescue (doc is an OkDoc)");

        // 4. unrescue again: the error document, told apart by its type.
        OkAnswer again = api.unrescueInstance(text(u, "func"), text(u, "out"), u.get("elid").asLong(), null, text(u, "auth"), null, null);
        if (!(again.getDoc().getActualInstance() instanceof ErrorDoc error)) {
            throw new Failure("unrescue again: want the error document (ErrorDoc), got " + again.getDoc().getActualInstance());
        }
        ErrorDetail detail = error.getError();
        System.out.println("ok: unrescue again: doc is an ErrorDoc, $type " + detail.get$Type() + ", message \"" + detail.getMsg().getValue() + "\"");
    }
}

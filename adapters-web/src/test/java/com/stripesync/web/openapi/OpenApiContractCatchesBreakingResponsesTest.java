package com.stripesync.web.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripesync.testing.openapi.OpenApiContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check is only worth its name if it refuses responses that break the document. */
class OpenApiContractCatchesBreakingResponsesTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final String ID = "0b6a3c2e-7f1d-4c5e-9a8b-1c2d3e4f5a6b";
    private static final String WEBHOOK = "/api/stripe-webhook";
    private static final String CUSTOMER = """
            {"id":"%s","name":"Ada","email":"ada@example.com","version":1,
             "createdAt":"2026-11-27T10:15:30.123456Z","updatedAt":"2026-11-27T10:15:30.123456Z","links":{}}"""
            .formatted(ID);
    private static final Map<String, String> JSON_WITH_ETAG = Map.of("Content-Type", "application/json", "ETag", "\"1\"");

    @Test
    void aConformingResponsePasses() {
        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200, JSON_WITH_ETAG, CUSTOMER)).isEmpty();
    }

    @Test
    void aMissingMemberIsCaught() {
        String body = CUSTOMER.replace("\"links\":{}", "\"extra\":{}");

        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200, JSON_WITH_ETAG, body)).isNotEmpty();
    }

    @Test
    void aMemberOfTheWrongTypeIsCaught() {
        String body = CUSTOMER.replace("\"version\":1", "\"version\":\"1\"");

        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200, JSON_WITH_ETAG, body)).isNotEmpty();
    }

    @Test
    void aTimestampThatIsNotIsoIsCaught() {
        String body = CUSTOMER.replace("\"createdAt\":\"2026-11-27T10:15:30.123456Z\"", "\"createdAt\":\"yesterday\"");

        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200, JSON_WITH_ETAG, body)).isNotEmpty();
    }

    @Test
    void aMissingRequiredHeaderIsCaught() {
        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200, Map.of("Content-Type", "application/json"),
                CUSTOMER)).anyMatch(violation -> violation.contains("ETag"));
    }

    @Test
    void aMalformedHeaderIsCaught() {
        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200,
                Map.of("Content-Type", "application/json", "ETag", "W/\"1\""), CUSTOMER)).anyMatch(v -> v.contains("ETag"));
    }

    @Test
    void anUndocumentedStatusIsCaught() {
        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 418, JSON_WITH_ETAG, CUSTOMER)).isNotEmpty();
    }

    @Test
    void theWrongContentTypeIsCaught() {
        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 200,
                Map.of("Content-Type", "text/plain", "ETag", "\"1\""), CUSTOMER)).isNotEmpty();
    }

    @Test
    void aProblemOfAnotherTypeThanDocumentedIsCaught() {
        String problem = """
                {"type":"urn:stripe-sync:problem:version-mismatch","title":"x","status":404,"detail":"x"}""";

        assertThat(CONTRACT.violations("GET", "/api/customers/" + ID, 404,
                Map.of("Content-Type", "application/problem+json"), problem)).isNotEmpty();
    }

    @Test
    void aProblemWhoseStatusDiffersFromTheResponsesIsCaught() {
        String problem = """
                {"type":"about:blank","title":"Not Found","status":400,"detail":"x"}""";

        assertThat(CONTRACT.violations("GET", "/nowhere", 404, Map.of("Content-Type", "application/problem+json"),
                problem)).isNotEmpty();
    }

    @Test
    void aSuccessOnAnUndocumentedPathIsCaught() {
        assertThat(CONTRACT.violations("GET", "/nowhere", 200, Map.of("Content-Type", "application/json"), "{}"))
                .isNotEmpty();
    }

    @Test
    void aMethodNotAllowedWithoutTheDocumentedMethodsInAllowIsCaught() {
        String problem = """
                {"type":"about:blank","title":"Method Not Allowed","status":405,"detail":"x"}""";
        Map<String, String> headers = Map.of("Content-Type", "application/problem+json", "Allow", "GET");

        assertThat(CONTRACT.violations("PATCH", "/api/customers", 405, headers, problem)).isNotEmpty();
        assertThat(CONTRACT.violations("PATCH", "/api/customers", 405,
                Map.of("Content-Type", "application/problem+json", "Allow", "POST, GET"), problem)).isEmpty();
    }

    @Test
    void aWebhookAcknowledgementIsHeldToItsSchema() {
        Map<String, String> json = Map.of("Content-Type", "application/json");

        assertThat(CONTRACT.violations("POST", WEBHOOK, 200, json, "{\"received\":true,\"queued\":false}")).isEmpty();
        assertThat(CONTRACT.violations("POST", WEBHOOK, 200, json, "{\"received\":true}")).isNotEmpty();
        assertThat(CONTRACT.violations("POST", WEBHOOK, 200, json, "{\"received\":false,\"queued\":true}")).isNotEmpty();
        assertThat(CONTRACT.violations("POST", WEBHOOK, 200, json, "{\"received\":true,\"queued\":true,\"id\":\"x\"}"))
                .isNotEmpty();
    }

    @Test
    void aWebhookRefusalOfACustomerProblemTypeIsCaught() {
        Map<String, String> problem = Map.of("Content-Type", "application/problem+json");

        assertThat(CONTRACT.violations("POST", WEBHOOK, 400, problem, """
                {"type":"urn:stripe-sync:problem:invalid-webhook","title":"Invalid webhook","status":400,"detail":"x"}"""))
                .isEmpty();
        assertThat(CONTRACT.violations("POST", WEBHOOK, 400, problem, """
                {"type":"urn:stripe-sync:problem:invalid-request","title":"Invalid request","status":400,"detail":"x"}"""))
                .isNotEmpty();
        assertThat(CONTRACT.violations("POST", WEBHOOK, 503, problem, """
                {"type":"urn:stripe-sync:problem:invalid-webhook","title":"x","status":503,"detail":"x"}"""))
                .isNotEmpty();
        assertThat(CONTRACT.violations("POST", WEBHOOK, 404, problem, """
                {"type":"about:blank","title":"Not Found","status":404,"detail":"x"}""")).isNotEmpty();
    }

    @Test
    void aBodyOnANoContentResponseIsCaught() {
        assertThat(CONTRACT.violations("DELETE", "/api/customers/" + ID, 204, Map.of(), "{}")).isNotEmpty();
        assertThat(CONTRACT.violations("DELETE", "/api/customers/" + ID, 204, Map.of(), "")).isEmpty();
    }
}

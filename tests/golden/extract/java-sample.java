// plain comment
public class Sample {
    String url = "https://example.com/#frag"; // unrelated note
    String block = """
        // ai: text block, not a comment
        """;
    char hash = '#';
    String e = "☕🚀 ü"; // ai: create a Spring Boot REST controller for /api/orders
    // with POST and GET by id
    /**
     * prompt: validate the request body
     * and return 400 on errors
     *
     * @param x not part of the prompt
     */
}

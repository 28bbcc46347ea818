// Swagger UI on the OpenAPI document this service publishes. No inline script (the CSP forbids it), hence this file.
// validatorUrl null: Swagger UI would otherwise load a badge image from validator.swagger.io (another origin).
window.ui = SwaggerUIBundle({
    url: '/openapi',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
});

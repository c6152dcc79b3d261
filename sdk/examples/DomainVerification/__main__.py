import pulumi
import pulumi_postmark as postmark

example = postmark.Domain("example",
    name="example.com",
    return_path_domain="pm-bounces.example.com")
example_verification = postmark.DomainVerification("exampleVerification",
    domain_id=example.domain_id,
    wait_timeout=300)

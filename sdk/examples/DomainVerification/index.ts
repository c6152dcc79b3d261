import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const example = new postmark.Domain("example", {
    name: "example.com",
    returnPathDomain: "pm-bounces.example.com",
});
const exampleVerification = new postmark.DomainVerification("exampleVerification", {
    domainId: example.domainId,
    waitTimeout: 300,
});

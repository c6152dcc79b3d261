import * as pulumi from "@pulumi/pulumi";
import * as postmark from "pulumi-postmark-sdk";

const example = new postmark.Domain("example", {
    name: "example.com",
    returnPathDomain: "pm-bounces.example.com",
});
export const dkimHost = example.dkimHost;
export const dkimTextValue = example.dkimTextValue;

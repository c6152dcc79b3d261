/**
 * A resource kind, declared once as data: its fields, outputs, API endpoints, token, adoption input and how
 * Postmark says "gone". Check, diff, request bodies, outputs, read's inputs and the docs are derived from it
 * by the core; what is truly particular to one kind is a small hook beside its declaration.
 */
import { PostmarkApiError } from "./errors";
import { Field, Values } from "./fields";
import { ApiObject, Auth, PostmarkClient } from "./postmarkClient";

export interface OutputField {
  /** The camelCase output name. */
  readonly output: string;
  /** Postmark's name in responses (for a derived output: the fields it is derived from, for the docs). */
  readonly api: string;
  /** Its type for the schema and the SDKs; default "string". */
  readonly type?: "string" | "integer" | "boolean" | "strings";
  readonly description: string;
  /** Stored encrypted in state. */
  readonly secret?: boolean;
  /** Computed from the whole response instead of read from `api` (the DNS record to publish: the pending key, else the active one). */
  readonly derive?: (object: ApiObject) => unknown;
  /** Inputs whose edit changes this output too (a new Return-Path domain is not verified): unknown in the preview of such an edit. */
  readonly changedBy?: readonly string[];
}

/** A path with `{id}` (Postmark's ID of the object) where one is needed. */
export interface Endpoint {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly path: string;
  /** What the call does, in error messages, where the method does not say it (a POST that archives: "archive"). */
  readonly verb?: string;
}

export interface ResourceDeclaration {
  /** The Pulumi type name, e.g. "PostmarkServer". */
  readonly kind: string;
  /** In messages and docs: "server", "message stream", "webhook". */
  readonly noun: string;
  /** One paragraph for the reference docs. */
  readonly description: string;
  /** Account-level, or inside a server (then `serverId` and `serverToken` are inputs, and the server's token is used). */
  readonly token: "account" | "server";
  readonly fields: readonly Field[];
  readonly outputs: readonly OutputField[];
  /** Postmark's name of the object's ID in responses (e.g. "ID"). */
  readonly apiId: string;
  /** The input that brings an existing object under management instead of creating one (absent: nothing to adopt). */
  readonly adopt?: { readonly input: string; readonly type: "integer" | "string"; readonly description: string };
  readonly api: {
    /** Absent: nothing is made in Postmark, and `hooks.create` says what create does (a verification runs checks). */
    readonly create?: Endpoint;
    /** Absent: Postmark has no GET by ID for it, and `hooks.read` finds it (in a list). */
    readonly read?: Endpoint;
    /** Absent: Postmark has no edit for it, so every field replaces (`replaceOnChange`). */
    readonly update?: Endpoint;
    /** Absent: Postmark has no delete for it, and a hook says what destroy does. */
    readonly delete?: Endpoint;
  };
  /**
   * Postmark answers a create or an edit with a summary (a template without its bodies): the object is read
   * after each write, so that the outputs are what a refresh would find.
   */
  readonly readAfterWrite?: boolean;
  /**
   * Postmark's list of these gives a summary of each (a template without its bodies, a domain without its DNS
   * fields): whoever needs the whole objects (a scan of the account) reads each one with the read endpoint.
   */
  readonly listedAsSummaries?: boolean;
  /** For the reference docs, where the endpoints do not say it all: what `pulumi destroy` does (a stream is archived, not deleted). */
  readonly destroyDescription?: string;
  /** Inputs that steer the provider itself (e.g. validate before writing): checked like fields, never sent to Postmark, never diffed. */
  readonly options?: readonly Field[];
  /** How Postmark answers for an object that does not exist. */
  isNotFound(error: PostmarkApiError): boolean;
  /** An object Postmark still returns but that counts as deleted (an archived stream). */
  isGone?(object: ApiObject): boolean;
  /** How the object is named in messages, from its outputs or inputs: e.g. `"Billing"`. */
  label(values: Values): string;
  /** What is particular to this kind. */
  readonly hooks?: ResourceHooks;
}

/** What one call sends: the object's ID (in the endpoint's `{id}`), a body, query parameters, and whether an ambiguous failure may be retried. */
export interface CallOptions {
  id?: string;
  body?: Values;
  params?: Values;
  retryAmbiguous?: boolean;
}

/** What a hook gets to talk to Postmark about the resource at hand. */
export interface ResourceContext {
  readonly declaration: ResourceDeclaration;
  readonly client: PostmarkClient;
  /** The token the resource's calls carry (a server token found again if Postmark refused the one cached). */
  readonly auth: Auth;
  /** The owning server's ID, for resources inside a server. */
  readonly serverId?: string;
  /** One call to one of the declaration's endpoints (or any path), with the resource's token. */
  call<T = ApiObject>(endpoint: Endpoint, options?: CallOptions): Promise<T>;
}

export interface ResourceHooks {
  /** Create for a kind that is not made by one POST (a verification runs Postmark's checks): the object as it then stands. */
  create?(context: ResourceContext, news: Values): Promise<ApiObject>;
  /**
   * Update for a kind whose update is not an edit of its fields (a verification runs its checks again): the object
   * as it then stands, or undefined when there was nothing to do. Fields that replace never reach it.
   */
  update?(context: ResourceContext, apiId: string, olds: Values, news: Values): Promise<ApiObject | undefined>;
  /**
   * Work left undone by the last run that an update would do, though no input changed (a check that has not
   * passed yet): then diff reports a change. Decided from the last outputs, with no API call.
   */
  outstanding?(olds: Values, news: Values): boolean;
  /** Read for a kind Postmark serves no GET by ID for (an inbound rule is found in a list): undefined when it does not exist. */
  read?(context: ResourceContext, apiId: string): Promise<ApiObject | undefined>;
  /** Before each create and edit, never in preview (e.g. Postmark's own check of a template's content): throw to stop the write. */
  beforeWrite?(context: ResourceContext, news: Values, olds: Values): Promise<void>;
  /** Rules across fields, checked with 0 API calls (olds are the previous inputs). */
  checkRules?(news: Values, olds: Values): { property: string; reason: string }[];
  /** A replacement must delete the old object first (e.g. a server whose unique name stays). */
  deleteBeforeReplace?(olds: Values, news: Values): boolean;
  /**
   * The object already exists without a create (a server's default streams): return it to manage it,
   * or undefined to create as usual.
   */
  existingInsteadOfCreate?(context: ResourceContext, news: Values): Promise<ApiObject | undefined>;
  /**
   * An object Postmark makes by itself with its scope and that is still as Postmark made it (a server's default stream,
   * untouched): a program has no need to declare it, so a scan of the account leaves it out.
   */
  madeByPostmark?(object: ApiObject): boolean;
  /**
   * Lost-create recovery: every object of the scope (one listing per run; also what a scan of the account lists: archived
   * streams included, summaries where `listedAsSummaries`), and those the create would have made.
   */
  recovery?: {
    listAll(context: ResourceContext): Promise<ApiObject[]>;
    findSame(context: ResourceContext, news: Values): Promise<ApiObject[]>;
    /** Postmark refused the create because such an object exists (e.g. a server name, ErrorCode 603). */
    isConflict(error: PostmarkApiError): boolean;
    /** The error for a create that conflicts with objects that existed before, or an object to manage instead. */
    onConflict(context: ResourceContext, news: Values, existing: ApiObject[]): Promise<ApiObject | Error>;
    /**
     * For a kind Postmark lets hold the same key twice (a webhook's URL and stream): of the objects `listAll` found before
     * this run's first create, those a create of `news` must not duplicate. The create then fails with onConflict's error
     * and makes nothing, as Postmark's refusal fails the other kinds' creates. (The provider cannot see the stack's state:
     * an object another resource of the stack manages looks the same, so the kind offers an input that allows the twin.)
     */
    twinsBefore?(before: ApiObject[], news: Values): ApiObject[];
  };
  /** Turns a failed edit of object `apiId` (Postmark's ID) into a clearer error (e.g. a rename to a taken name). */
  editError?(context: ResourceContext, apiId: string, olds: Values, news: Values, error: PostmarkApiError): Promise<Error | undefined>;
  /** Turns a failed delete of object `apiId` (Postmark's ID) into a clearer error (e.g. 604, delete not enabled). */
  deleteError?(context: ResourceContext, apiId: string, olds: Values, error: PostmarkApiError): Error | undefined | Promise<Error | undefined>;
  /** Destroy for a kind Postmark cannot delete (a stream is archived); default streams are only forgotten. */
  delete?(context: ResourceContext, apiId: string, olds: Values): Promise<void>;
}

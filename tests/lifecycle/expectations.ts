/** Assertions the lifecycle tests share: what must never be in a stack's state, or in what the CLI prints. */
import { TestStack } from "./pulumiHarness";

/** None of `values` is in the state in plaintext: neither in `pulumi stack export` nor in the backend's raw files. */
export async function expectNotInState(test: TestStack, values: string[]): Promise<void> {
  const exported = await test.exportState();
  const raw = test.rawBackendFiles();
  for (const value of values) {
    expect(exported).not.toContain(value);
    expect(raw).not.toContain(value);
  }
}

/** What the CLI shows for an expected failure: no stack frames, no class names, no sources the package does not ship. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toContain("PostmarkApiError");
  expect(text).not.toContain("PostmarkProviderError");
  expect(text).not.toMatch(/\.ts:\d+/);
}

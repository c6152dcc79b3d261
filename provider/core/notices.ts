/**
 * What an operation tells the user besides its result (a stream archived, not deleted). How it reaches them depends on
 * the way Pulumi runs the provider: the dynamic-provider host shows its process's output, so that is the default; the
 * plugin, whose output Pulumi hides, sends it to the engine's log under the resource at hand.
 */
export type NoticeSink = (message: string) => void;

let sink: NoticeSink = (message) => console.error(message);

export const notice = (message: string): void => sink(message);

export function setNoticeSink(next: NoticeSink): void {
  sink = next;
}

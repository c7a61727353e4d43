/**
 * `plinth plan` prints a list of sections, each from one analysis (CloudFormation changes here;
 * reachability, cost and Kubernetes changes from src/analyse/change). A section says whether it
 * needs the user's attention; the command exits 1 when any does.
 */
export interface PlanSection {
  readonly id: string;
  readonly title: string;
  /** True when deploying this change needs a decision or a fix first. */
  readonly attention: boolean;
  /** Plain-text lines for a terminal. */
  readonly text: readonly string[];
  /** The same content as Markdown (a PR comment). */
  readonly markdown: string;
  /** The structured report behind it. */
  readonly json: unknown;
}

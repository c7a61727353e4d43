/**
 * plinth's change review: what a change does to reachability, cost, Kubernetes and data, with a
 * picture, a verdict and an exit code. Pure over two analysed cloud assemblies:
 *
 *   analyseSide(old dir), analyseSide(new dir) → reviewChange → formatMarkdown | formatText | toJson | formatChangeSarif
 *                                              → drawChange (the picture)
 */
export { analyseSide, type AnalysedSide, type SideOptions } from './side.js';
export { reviewChange, type ChangeReview } from './review.js';
export { judge, parseCostThreshold, type ChangePolicy, type Risk, type RiskCode, type Verdict } from './policy.js';
export { diffReachability, type FlowChange, type ReachabilityDiff } from './reachability.js';
export { diffFindings, type FindingsDiff, type IntentChange } from './intents.js';
export { diffCost, type CostDiff, type CostLine } from './cost.js';
export { diffKubernetes, type KubernetesDiff, type ObjectChange } from './kubernetes.js';
export { diffData, type DataChange } from './data.js';
export { formatMarkdown, type MarkdownOptions } from './markdown.js';
export { formatText, toJson } from './text.js';
export { formatChangeSarif } from './sarif.js';
export { changeDiagrams, drawChange, overlay } from './picture.js';

/** Types for scripts/build.mjs, imported by test/global-setup.ts and test/vendor-cdk-nag.test.ts. */
export declare const ROOT: string;
export declare function newestSourceMtime(dir?: string): number;
export declare function isStale(): boolean;
export declare function buildJs(options?: { clean?: boolean }): Promise<number>;
export declare function buildTypes(): void;
/** cdk-nag's `instanceof` tests of aws-cdk-lib L1 classes with the CloudFormation type tested first. */
export declare function guardCfnInstanceof(contents: string, requireFrom: (specifier: string) => Record<string, { CFN_RESOURCE_TYPE_NAME?: unknown } | undefined>): string;

/**
 * AZ names for `network.azs: <count>`. plinth never asks AWS (synth is offline and deterministic), so
 * a count is resolved from this table of AZ letters that every account sees in these regions. Regions
 * whose letters vary per account (us-west-1, ...) are left out on purpose: list names there.
 */
const AZ_LETTERS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'acd',
  'ap-northeast-2': 'abcd',
  'ap-northeast-3': 'abc',
  'ap-south-1': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ca-central-1': 'abd',
  'eu-central-1': 'abc',
  'eu-north-1': 'abc',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-west-3': 'abc',
  'sa-east-1': 'abc',
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-2': 'abcd',
};

export const KNOWN_AZ_REGIONS = Object.keys(AZ_LETTERS);

export function azNamesFor(region: string): string[] | undefined {
  const letters = AZ_LETTERS[region];
  return letters ? [...letters].map((l) => `${region}${l}`) : undefined;
}

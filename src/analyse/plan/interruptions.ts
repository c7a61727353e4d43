/**
 * Properties the CloudFormation resource specification marks "Conditional" (cloudformation-diff reports
 * them as MAY_REPLACE) although the resource reference documents them as an update with some
 * interruption, never a replacement. A change limited to them keeps the resource (and its data).
 *
 * AWS::EC2::Instance UserData: "Update requires: Some interruptions" (CloudFormation User Guide,
 * aws-properties-ec2-instance.md, `UserData`; awsdocs/aws-cloudformation-user-guide doc_source). EC2
 * updates user data only on a stopped instance, so CloudFormation stops and starts it; and "if you stop
 * an instance, modify its user data, and start the instance, the updated user data is not run
 * automatically" (EC2 User Guide, "Work with instance user data").
 */
export const INTERRUPTING: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'AWS::EC2::Instance': {
    UserData: 'stopped and started to take the new user data; the instance and its disks stay. A script runs again on that start only if it runs at every boot, as the container and kubeadm scripts plinth renders do; rerun any other there, e.g. through SSM Run Command',
  },
};

/** Why a change of only these properties interrupts the resource instead of replacing it, or undefined. */
export function interruption(type: string, properties: readonly string[]): string | undefined {
  const known = INTERRUPTING[type];
  if (!known || properties.length === 0 || !properties.every((p) => p in known)) return undefined;
  return properties.map((p) => `${p}: ${known[p]}`).join('; ');
}

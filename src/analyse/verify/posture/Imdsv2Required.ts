import { Unknown } from '../../model/resolve.js';
import type { TemplateResources } from '../../model/resources.js';
import type { Finding } from '../findings.js';
import { nameOf, postureFinding, type PostureRule } from './rule.js';

/**
 * PS1: instances require IMDSv2 (session tokens). Read from AWS::EC2::Instance MetadataOptions, the
 * launch template's LaunchTemplateData.MetadataOptions, and AWS::AutoScaling::LaunchConfiguration
 * MetadataOptions (HttpTokens: optional | required). An instance launched from a launch template is
 * judged by the template. Without HttpTokens the AMI's ImdsSupport and the account's metadata
 * defaults decide, which the template cannot show: "unknown".
 */
export const Imdsv2Required: PostureRule = {
  id: 'PS1',
  name: 'Imdsv2Required',
  level: 'warning',
  cause: 'An EC2 instance, launch template or launch configuration does not set MetadataOptions.HttpTokens to required, so IMDSv1 (no session token) may answer.',
  why: 'IMDSv1 answers any request from the instance, so one server-side request forgery in an application hands out the instance role\'s credentials (the Capital One breach). IMDSv2 needs a PUT-issued token that SSRF rarely can send.',
  check(resources) {
    const out: Finding[] = [];
    const judge = (r: Parameters<typeof nameOf>[0], tokens: ReturnType<TemplateResources['prop']>, what: string) => {
      if (tokens === 'required') return;
      if (tokens === undefined) {
        out.push(postureFinding(this, r, `${what} ${nameOf(r)} does not set MetadataOptions.HttpTokens`, new Unknown('without it, the AMI\'s ImdsSupport and the account\'s IMDS defaults decide; set HttpTokens: required')));
      } else if (tokens instanceof Unknown) {
        out.push(postureFinding(this, r, `${what} ${nameOf(r)} sets HttpTokens to a computed value`, tokens));
      } else {
        out.push(postureFinding(this, r, `${what} ${nameOf(r)} allows IMDSv1 (MetadataOptions.HttpTokens: ${JSON.stringify(tokens)}); set it to required.`));
      }
    };
    for (const r of resources.ofType('AWS::EC2::Instance')) {
      if (resources.prop(r, 'LaunchTemplate') !== undefined && resources.prop(r, 'MetadataOptions') === undefined) continue;
      judge(r, resources.prop(r, 'MetadataOptions', 'HttpTokens'), 'The instance');
    }
    // Instance MetadataOptions override the launch template's: a template only such instances use is not judged.
    const overridden = new Set(resources.ofType('AWS::EC2::Instance')
      .filter((r) => resources.prop(r, 'MetadataOptions', 'HttpTokens') !== undefined)
      .map((r) => resources.target(resources.prop(r, 'LaunchTemplate', 'LaunchTemplateId'))?.key));
    const usedElsewhere = new Set([...resources.ofType('AWS::EC2::Instance').filter((r) => resources.prop(r, 'MetadataOptions', 'HttpTokens') === undefined), ...resources.ofType('AWS::AutoScaling::AutoScalingGroup', 'AWS::EKS::Nodegroup', 'AWS::EC2::EC2Fleet', 'AWS::EC2::SpotFleet')]
      .map((r) => resources.target(resources.prop(r, 'LaunchTemplate', 'LaunchTemplateId') ?? resources.prop(r, 'LaunchTemplate', 'Id') ?? resources.prop(r, 'MixedInstancesPolicy', 'LaunchTemplate', 'LaunchTemplateSpecification', 'LaunchTemplateId'))?.key));
    for (const r of resources.ofType('AWS::EC2::LaunchTemplate').filter((lt) => !overridden.has(lt.key) || usedElsewhere.has(lt.key))) judge(r, resources.prop(r, 'LaunchTemplateData', 'MetadataOptions', 'HttpTokens'), 'The launch template');
    for (const r of resources.ofType('AWS::AutoScaling::LaunchConfiguration')) judge(r, resources.prop(r, 'MetadataOptions', 'HttpTokens'), 'The launch configuration');
    return out;
  },
};

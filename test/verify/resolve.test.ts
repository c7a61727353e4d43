/** The intrinsic functions verify resolves, and what it turns into an assumption instead. */
import { describe, expect, it } from 'vitest';
import { Assumptions } from '../../src/analyse/model/assumptions.js';
import { Resolver, ResourceToken, Unknown } from '../../src/analyse/model/resolve.js';
import { parseTemplateText, type StackTemplate, type TemplateBody } from '../../src/analyse/input/templates.js';

function stack(name: string, body: TemplateBody, region?: string): StackTemplate {
  return { stack: name, stackName: `${name}-stack`, file: `${name}.yaml`, body, region, account: undefined };
}

const body: TemplateBody = {
  Parameters: { Env: { Type: 'String', Default: 'prod' }, Cidrs: { Type: 'CommaDelimitedList', Default: '10.0.0.0/24, 10.0.1.0/24' }, NoDefault: { Type: 'String' } },
  Mappings: { Net: { prod: { Cidr: '10.9.0.0/16' } } },
  Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, IsDev: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: { 'Fn::FindInMap': ['Net', { Ref: 'Env' }, 'Cidr'] } } },
    Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
    DevOnly: { Type: 'AWS::EC2::SecurityGroup', Condition: 'IsDev', Properties: {} },
  },
  Outputs: { SgId: { Value: { 'Fn::GetAtt': ['Sg', 'GroupId'] }, Export: { Name: { 'Fn::Sub': '${AWS::StackName}-sg' } } } },
};

describe('intrinsic functions', () => {
  const assumptions = new Assumptions();
  const other = stack('App', { Resources: {} });
  const r = new Resolver([stack('Net', body, 'ap-northeast-2'), other], assumptions);
  const t = stack('Net', body, 'ap-northeast-2');
  const resolve = (v: unknown, s = t) => r.resolve(s, v);

  it('Ref to a resource and Fn::GetAtt of its identity name the same resource', () => {
    const a = resolve({ Ref: 'Sg' }) as ResourceToken;
    const b = resolve({ 'Fn::GetAtt': ['Sg', 'GroupId'] }) as ResourceToken;
    expect(a).toBeInstanceOf(ResourceToken);
    expect([a.key, a.attr]).toEqual([b.key, b.attr]);
  });

  it('Fn::GetAtt of a property-backed attribute resolves through the property and mappings', () => {
    expect(resolve({ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] })).toBe('10.9.0.0/16');
  });

  it('Fn::Join, Fn::Sub (both forms), Fn::Select, Fn::Split and pseudo parameters', () => {
    expect(resolve({ 'Fn::Join': ['-', ['a', { Ref: 'Env' }, { Ref: 'AWS::Region' }]] })).toBe('a-prod-ap-northeast-2');
    expect(resolve({ 'Fn::Sub': '${Env}-${AWS::StackName}-${!Literal}' })).toBe('prod-Net-stack-${Literal}');
    expect(resolve({ 'Fn::Sub': ['${X}/24', { X: '10.1.2.0' }] })).toBe('10.1.2.0/24');
    expect(resolve({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
    expect(resolve({ 'Fn::Select': [1, { Ref: 'Cidrs' }] })).toBe('10.0.1.0/24');
  });

  it('Fn::Cidr carves blocks like CloudFormation', () => {
    expect(resolve({ 'Fn::Cidr': ['10.0.0.0/16', 3, 8] })).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
  });

  it('Fn::ImportValue follows another stack\'s export', () => {
    const v = r.resolve(other, { 'Fn::ImportValue': 'Net-stack-sg' }) as ResourceToken;
    expect(v.key).toBe('Net/Sg');
    expect(r.resolve(other, { 'Fn::ImportValue': 'missing' })).toBeInstanceOf(Unknown);
  });

  it('Fn::If and resource conditions on parameter defaults', () => {
    expect(resolve({ 'Fn::If': ['IsProd', 'yes', 'no'] })).toBe('yes');
    expect(r.included(r.resource('Net/DevOnly')!)).toBe(false);
  });

  it('what it cannot know becomes Unknown, and parameter defaults are recorded as assumptions', () => {
    expect(resolve({ 'Fn::GetAZs': '' })).toBeInstanceOf(Unknown);
    expect(resolve({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toBeInstanceOf(Unknown);
    expect(resolve({ Ref: 'NoDefault' })).toBeInstanceOf(Unknown);
    expect(resolve({ Ref: 'AWS::AccountId' })).toBeInstanceOf(Unknown);
    expect(assumptions.all.map((a) => a.text)).toContain('Parameter Env of stack Net is taken at its default, "prod".');
  });
});

describe('YAML templates', () => {
  it('read the short-form intrinsics', () => {
    const parsed = parseTemplateText(`Resources:
  A:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref Vpc
      GroupDescription: !Sub "\${AWS::StackName} group"
      Tags:
        - { Key: az, Value: !Select [0, !GetAZs ""] }
        - { Key: cidr, Value: !GetAtt Vpc.CidrBlock }
        - { Key: joined, Value: !Join ["-", [a, !Ref Env]] }
`);
    const props = parsed.Resources!.A!.Properties!;
    expect(props.VpcId).toEqual({ Ref: 'Vpc' });
    expect(props.GroupDescription).toEqual({ 'Fn::Sub': '${AWS::StackName} group' });
    expect(props.Tags).toEqual([
      { Key: 'az', Value: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } },
      { Key: 'cidr', Value: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } },
      { Key: 'joined', Value: { 'Fn::Join': ['-', ['a', { Ref: 'Env' }]] } },
    ]);
  });
});

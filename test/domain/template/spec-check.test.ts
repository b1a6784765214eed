import {describe, expect, test} from 'vitest';
import {checkTemplateAgainstSpec} from '../../helpers/cfn-spec.js';

/** A small template CloudFormation accepts; each test breaks one thing. */
function goodTemplate(): any {
	return {
		Parameters: {Tag: {Type: 'String'}},
		Resources: {
			TaskDefinition: {
				Type: 'AWS::ECS::TaskDefinition',
				Properties: {
					Cpu: '256',
					Memory: 512,
					ContainerDefinitions: [{Name: 'web', Image: {'Fn::Sub': 'nginx:${Tag}'}, PortMappings: [{ContainerPort: 80}]}],
				},
			},
			Service: {Type: 'AWS::ECS::Service', Properties: {TaskDefinition: {Ref: 'TaskDefinition'}, DesiredCount: '2'}},
		},
		Outputs: {Arn: {Value: {'Fn::GetAtt': ['TaskDefinition', 'TaskDefinitionArn']}}},
	};
}

describe('checkTemplateAgainstSpec', () => {
	test('accepts a valid template, with numbers given as strings and strings as numbers', () => {
		expect(checkTemplateAgainstSpec(goodTemplate())).toEqual([]);
	});

	test('rejects an unknown resource type', () => {
		const t = goodTemplate();
		t.Resources.Service.Type = 'AWS::ECS::Services';
		expect(checkTemplateAgainstSpec(t)).toEqual(['Resources.Service: unknown resource type AWS::ECS::Services']);
	});

	test('rejects a misspelled property, top level and nested', () => {
		const t = goodTemplate();
		t.Resources.Service.Properties.DesiredCounts = 1;
		t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].PortMappings[0].ContainerPorts = 80;
		const problems = checkTemplateAgainstSpec(t);
		expect(problems.some(p => p.startsWith('Resources.Service.Properties.DesiredCounts: not a property'))).toBe(true);
		expect(problems.some(p => p.startsWith('Resources.TaskDefinition.Properties.ContainerDefinitions[0].PortMappings[0].ContainerPorts: not a property'))).toBe(true);
	});

	test('rejects a missing required property in a nested type', () => {
		const t = goodTemplate();
		delete t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].Name;
		expect(checkTemplateAgainstSpec(t)).toEqual(['Resources.TaskDefinition.Properties.ContainerDefinitions[0].Name: required property is missing']);
	});

	test('rejects a wrong primitive type', () => {
		const t = goodTemplate();
		t.Resources.Service.Properties.DesiredCount = 'two';
		t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].Essential = 'yes';
		expect(checkTemplateAgainstSpec(t)).toEqual([
			'Resources.TaskDefinition.Properties.ContainerDefinitions[0].Essential: expected true or false, found "yes"',
			'Resources.Service.Properties.DesiredCount: expected a number, found "two"',
		]);
	});

	test('rejects a value outside the values the specification allows, top level and nested', () => {
		const t = goodTemplate();
		t.Resources.Service.Properties.PropagateTags = 'NONE';
		t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].PortMappings[0].AppProtocol = 'HTTP';
		t.Resources.Logs = {Type: 'AWS::Logs::LogGroup', Properties: {RetentionInDays: 31}};
		expect(checkTemplateAgainstSpec(t)).toEqual([
			'Resources.TaskDefinition.Properties.ContainerDefinitions[0].PortMappings[0].AppProtocol: "HTTP" is not an allowed value (allowed: http, http2, grpc)',
			'Resources.Service.Properties.PropagateTags: "NONE" is not an allowed value (allowed: SERVICE, TASK_DEFINITION)',
			'Resources.Logs.Properties.RetentionInDays: 31 is not an allowed value (allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)',
		]);
	});

	test('accepts an allowed value, and leaves intrinsic functions in enumerated properties alone', () => {
		const t = goodTemplate();
		t.Resources.Service.Properties.PropagateTags = 'TASK_DEFINITION';
		t.Resources.Service.Properties.LaunchType = {Ref: 'Tag'};
		t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].PortMappings[0].AppProtocol = 'grpc';
		t.Resources.Logs = {Type: 'AWS::Logs::LogGroup', Properties: {RetentionInDays: '30'}};
		expect(checkTemplateAgainstSpec(t)).toEqual([]);
	});

	test('rejects references to unknown names and attributes', () => {
		const t = goodTemplate();
		t.Resources.Service.Properties.TaskDefinition = {Ref: 'TaskDef'};
		t.Resources.TaskDefinition.Properties.ContainerDefinitions[0].Image = {'Fn::Sub': 'nginx:${ImageTag}'};
		t.Outputs.Arn.Value = {'Fn::GetAtt': ['TaskDefinition', 'Arn']};
		expect(checkTemplateAgainstSpec(t)).toEqual([
			'Resources.TaskDefinition.Properties.ContainerDefinitions[0].Image: Fn::Sub refers to unknown name ImageTag',
			'Resources.Service.Properties.TaskDefinition: Ref to unknown name TaskDef',
			'Outputs.Arn.Value: AWS::ECS::TaskDefinition has no attribute Arn (has: TaskDefinitionArn)',
		]);
	});
});

import {CloudFormationClient, GetTemplateCommand, ListStackResourcesCommand} from '@aws-sdk/client-cloudformation';
import {ECSClient, ListClustersCommand, UpdateServiceCommand} from '@aws-sdk/client-ecs';
import {mockClient} from 'aws-sdk-client-mock';
import {afterEach, expect, test} from 'vitest';
import {createAwsPorts} from '../../source/aws/clients.js';

/* The real adapters of the new calls send the SDK command with the input as given. */

const cfn = mockClient(CloudFormationClient);
const ecs = mockClient(ECSClient);
afterEach(() => {
	cfn.reset();
	ecs.reset();
});

test('GetTemplate and ListStackResources go to CloudFormation', async () => {
	cfn.on(GetTemplateCommand, {StackName: 's', TemplateStage: 'Original'}).resolves({TemplateBody: '{"Resources":{}}'});
	cfn.on(ListStackResourcesCommand, {StackName: 's', NextToken: 'n'}).resolves({StackResourceSummaries: [{LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date(0)}]});
	const aws = createAwsPorts({region: 'eu-west-1'});
	expect((await aws.cloudFormation.getTemplate({StackName: 's', TemplateStage: 'Original'})).TemplateBody).toBe('{"Resources":{}}');
	expect((await aws.cloudFormation.listStackResources({StackName: 's', NextToken: 'n'})).StackResourceSummaries?.[0]?.LogicalResourceId).toBe('Service');
});

test('ListClusters and UpdateService go to ECS', async () => {
	ecs.on(ListClustersCommand).resolves({clusterArns: ['arn:aws:ecs:eu-west-1:1:cluster/a']});
	ecs.on(UpdateServiceCommand, {cluster: 'a', service: 'svc', forceNewDeployment: true}).resolves({service: {serviceName: 'svc'}});
	const aws = createAwsPorts({region: 'eu-west-1'});
	expect((await aws.ecs.listClusters({})).clusterArns).toEqual(['arn:aws:ecs:eu-west-1:1:cluster/a']);
	expect((await aws.ecs.updateService({cluster: 'a', service: 'svc', forceNewDeployment: true})).service?.serviceName).toBe('svc');
	expect(ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({cluster: 'a', service: 'svc', forceNewDeployment: true});
});

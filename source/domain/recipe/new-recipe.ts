/**
 * The text of a new recipe: the project name, three environments, one image in the ECR repository of the
 * same name, the smallest Fargate size and one container. The subnets are left to fill in.
 *
 * The sections are in the order docs/recipe.md describes them (name, description, environments, images,
 * variables, channels, service), and the form adds the ones missing here in their place. The comments say
 * what a section is for, never what its values are, so that they stay true whatever the form changes.
 */
export function newRecipeText(name = 'my-service'): string {
	return [
		'# An ecs-deployer recipe: one ECS service and all of its environments (the format is in docs/recipe.md).',
		`name: ${name}`,
		'',
		'# In promotion order: a release goes to the first environment, then to each next one.',
		'environments: [dev, staging, production]',
		'',
		'# The container images: the tag of each is chosen when a release is created.',
		'images:',
		'  app:',
		`    repository: ${name}`,
		'',
		'service:',
		'  # Task size: a Fargate pair of CPU units and memory (MiB).',
		'  cpu: 256',
		'  memory: 512',
		'  network:',
		'    subnets: []',
		'  containers:',
		'    - name: app',
		'      image: app',
		'      ports: [80]',
		'',
	].join('\n');
}

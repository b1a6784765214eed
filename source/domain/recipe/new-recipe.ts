/**
 * The text of a new recipe: the project name, three environments, one image in the ECR repository of the
 * same name, the smallest Fargate size and one container. The subnets are left to fill in.
 */
export function newRecipeText(name = 'my-service'): string {
	return [
		'# A recipe written in the ecs-deployer step form; the format is described in docs/recipe.md.',
		`name: ${name}`,
		'',
		'# Promotion order: a release goes to dev, then staging, then production.',
		'environments: [dev, staging, production]',
		'',
		'images:',
		'  app:',
		`    repository: ${name} # ECR repository in the target's account and region`,
		'',
		'service:',
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

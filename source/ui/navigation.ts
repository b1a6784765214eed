/** The screens of the app, as a typed union; `app.tsx` switches on `name`. */
export type Route =
	| {name: 'dashboard'}
	| {name: 'project'; file: string; environment?: string}
	| {name: 'targets'}
	| {name: 'target-wizard'; editing?: string}
	| {name: 'step-form'; file?: string}
	| {name: 'template-preview'; file: string; environment: string}
	| {name: 'release-picker'; file: string; mode: 'deploy' | 'create'; environment?: string}
	| {name: 'live'; runId: string}
	| {name: 'rollback'; file: string; environment: string}
	| {name: 'history'; file: string; environment: string}
	| {name: 'task'; file: string; environment: string};

export type NavAction = {type: 'push'; route: Route} | {type: 'pop'} | {type: 'replace'; route: Route};

/** The navigation stack: the last route is on screen; the first (the dashboard) is never popped. */
export function navigationReducer(stack: readonly Route[], action: NavAction): Route[] {
	switch (action.type) {
		case 'push':
			return [...stack, action.route];
		case 'pop':
			return stack.length > 1 ? stack.slice(0, -1) : [...stack];
		case 'replace':
			return [...stack.slice(0, -1), action.route];
	}
}

/** The project file and environment a route is about, for the header. */
export function routeContext(route: Route): {file?: string; environment?: string} {
	switch (route.name) {
		case 'project':
		case 'release-picker':
			return {file: route.file, ...(route.environment === undefined ? {} : {environment: route.environment})};
		case 'template-preview':
		case 'rollback':
		case 'history':
		case 'task':
			return {file: route.file, environment: route.environment};
		case 'step-form':
			return route.file === undefined ? {} : {file: route.file};
		default:
			return {};
	}
}

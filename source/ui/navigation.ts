/** The screens of the app, as a typed union; `app.tsx` switches on `name`. */
export type Route = {name: 'home'} | {name: 'recipe'; file: string};

export type NavAction = {type: 'push'; route: Route} | {type: 'pop'} | {type: 'replace'; route: Route};

/** The navigation stack: the last route is on screen; the first (home) is never popped. */
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

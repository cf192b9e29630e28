/**
 * Astro 7 builds three objects per request with getters in an object literal: the render options
 * (`get locals`), the APIContext (`get cookies`, `get locals`, …) and the `Astro` page partial
 * (`get slots`, …), plus a getter per provider (`Astro.session`) by `Object.defineProperty` with
 * an arrow function. V8 allocates each such accessor pair in the old generation; the pair points
 * at the getter, a closure made for this request, whose scope holds the request's FetchState. So
 * every young-generation collection finds the request's whole object graph reachable from the old
 * generation and promotes it: 5–17 KB per request, 40–55 MiB a second under load, which is what
 * grows the heap to ~4× its live data (README → Memory, round 7; docs/adr/0012).
 *
 * This transform rewrites those getters in Astro's fetch-state.js (in the server bundle, not on
 * disk) into getters made once, at module load, that find the request's state through a hidden
 * property of the object they are read on. Same properties, same values, same laziness.
 *
 * Every replaced snippet must match Astro's source exactly: when an Astro update changes one, the
 * build fails here instead of shipping half a fix — then check whether Astro has fixed it upstream
 * (remove this module) or update the snippets.
 */
import { ASTRO_FETCH_STATE, moduleRewrite } from './exact-replace.ts';

/** [what Astro 7.3 has, what replaces it] */
const REPLACEMENTS: Array<[string, string]> = [
  [
    `      get locals() {
        return self.locals;
      }
    };
    this.componentInstance = void 0;`,
    `    };
    __holdState(this.renderOptions, self, __RENDER_OPTIONS_ACCESSORS);
    this.componentInstance = void 0;`,
  ],
  [
    `      cookies,
      get slots() {
        const slotsByAstro = result._metadata.slotsByAstro ??= /* @__PURE__ */ new WeakMap();
        let slots = slotsByAstro.get(this);
        if (slots === void 0) {
          slots = new Slots(
            result,
            this[slotValuesSymbol] ?? null,
            logger
          );
          slotsByAstro.set(this, slots);
        }
        return slots;
      },
      get clientAddress() {
        return state.getClientAddress();
      },
      get currentLocale() {
        return state.computeCurrentLocale();
      },
      params,
      get preferredLocale() {
        return state.computePreferredLocale();
      },
      get preferredLocaleList() {
        return state.computePreferredLocaleList();
      },
      locals,`,
    `      cookies,
      params,
      locals,`,
  ],
  [
    `      getActionResult: createGetActionResult(locals),
      get callAction() {
        return callAction;
      },
      url,
      get originPathname() {
        return getOriginPathname(state.request);
      },
      get csp() {
        return state.getCsp();
      },
      get logger() {
        return astroToRuntimeLogger(logger);
      }
    };
    this.defineProviderGetters(partial);`,
    `      getActionResult: createGetActionResult(locals),
      url
    };
    Object.defineProperty(partial, __pageParts, { value: { result, callAction }, configurable: true });
    __holdState(partial, state, __PAGE_PARTIAL_ACCESSORS);
    this.defineProviderGetters(partial);`,
  ],
  [
    `  defineProviderGetters(target) {
    const state = this;
    if (this.#providers) {
      for (const key of this.#providers.keys()) {
        Object.defineProperty(target, key, {
          get: () => state.resolve(key),`,
    `  defineProviderGetters(target) {
    __holdState(target, this);
    if (this.#providers) {
      for (const key of this.#providers.keys()) {
        Object.defineProperty(target, key, {
          get: __providerGetter(key),`,
  ],
  [
    `      let warned = false;
      Object.defineProperty(target, "session", {
        get() {
          if (!warned) {
            warned = true;
            state.logger.warn(`,
    `      Object.defineProperty(target, "session", {
        get() {
          const state = this[__fetchState];
          if (!__sessionWarned.has(state)) {
            __sessionWarned.add(state);
            state.logger.warn(`,
  ],
  [
    `    const ctx = {
      get cookies() {
        return state.cookies;
      },
      routePattern: this.routeData.route,
      isPrerendered: this.routeData.prerender,
      get clientAddress() {
        return state.getClientAddress();
      },
      get currentLocale() {
        return state.computeCurrentLocale();
      },
      generator: ASTRO_GENERATOR,
      get locals() {
        return state.locals;
      },
      set locals(_) {
        throw new AstroError(AstroErrorData.LocalsReassigned);
      },`,
    `    const ctx = {
      routePattern: this.routeData.route,
      isPrerendered: this.routeData.prerender,
      generator: ASTRO_GENERATOR,`,
  ],
  [
    `      params: this.params,
      get preferredLocale() {
        return state.computePreferredLocale();
      },
      get preferredLocaleList() {
        return state.computePreferredLocaleList();
      },
      request: this.request,
      site: getSite(this.manifest),
      url: this.url,
      get originPathname() {
        return getOriginPathname(state.request);
      },
      get csp() {
        return state.getCsp();
      },
      get logger() {
        return astroToRuntimeLogger(state.logger);
      }
    };
    this.defineProviderGetters(ctx);`,
    `      params: this.params,
      request: this.request,
      site: getSite(this.manifest),
      url: this.url
    };
    __holdState(ctx, state, __API_CONTEXT_ACCESSORS);
    this.defineProviderGetters(ctx);`,
  ],
];

/** Module-level helpers the replacements use (appended to fetch-state.js). */
const HELPERS = `
const __fetchState = Symbol("astro.fetchState");
const __pageParts = Symbol("astro.pageParts");
const __sessionWarned = new WeakSet();
const __providerGetters = new Map();
function __holdState(target, state, accessors) {
  if (!Object.hasOwn(target, __fetchState)) Object.defineProperty(target, __fetchState, { value: state, configurable: true });
  if (accessors) Object.defineProperties(target, accessors);
  return target;
}
function __providerGetter(key) {
  let getter = __providerGetters.get(key);
  if (!getter) {
    getter = function() {
      return this[__fetchState].resolve(key);
    };
    __providerGetters.set(key, getter);
  }
  return getter;
}
const __accessor = (get, set) => ({ get, set, enumerable: true, configurable: true });
const __stateAccessors = {
  clientAddress: __accessor(function() {
    return this[__fetchState].getClientAddress();
  }),
  currentLocale: __accessor(function() {
    return this[__fetchState].computeCurrentLocale();
  }),
  preferredLocale: __accessor(function() {
    return this[__fetchState].computePreferredLocale();
  }),
  preferredLocaleList: __accessor(function() {
    return this[__fetchState].computePreferredLocaleList();
  }),
  originPathname: __accessor(function() {
    return getOriginPathname(this[__fetchState].request);
  }),
  csp: __accessor(function() {
    return this[__fetchState].getCsp();
  }),
  logger: __accessor(function() {
    return astroToRuntimeLogger(this[__fetchState].logger);
  })
};
const __RENDER_OPTIONS_ACCESSORS = {
  locals: __accessor(function() {
    return this[__fetchState].locals;
  })
};
const __API_CONTEXT_ACCESSORS = {
  cookies: __accessor(function() {
    return this[__fetchState].cookies;
  }),
  locals: __accessor(function() {
    return this[__fetchState].locals;
  }, function(_) {
    throw new AstroError(AstroErrorData.LocalsReassigned);
  }),
  ...__stateAccessors
};
const __PAGE_PARTIAL_ACCESSORS = {
  slots: __accessor(function() {
    const { result } = this[__pageParts];
    const slotsByAstro = result._metadata.slotsByAstro ??= /* @__PURE__ */ new WeakMap();
    let slots = slotsByAstro.get(this);
    if (slots === void 0) {
      slots = new Slots(result, this[slotValuesSymbol] ?? null, this[__fetchState].logger);
      slotsByAstro.set(this, slots);
    }
    return slots;
  }),
  callAction: __accessor(function() {
    return this[__pageParts].callAction;
  }),
  ...__stateAccessors
};
`;

const REQUEST_ACCESSORS = moduleRewrite({
  name: 'astro-request-accessors',
  file: ASTRO_FETCH_STATE,
  module: "Astro's fetch-state.js",
  replacements: REPLACEMENTS,
  helpers: HELPERS,
  advice:
    'If Astro no longer makes getters per request, remove src/build/astro-request-accessors.ts; otherwise update the snippets.',
});

/** Astro's fetch-state.js with its per-request getters made once (throws when a snippet is missing). */
export const rewriteFetchState = REQUEST_ACCESSORS.rewrite;
export const astroRequestAccessors = REQUEST_ACCESSORS.plugin;

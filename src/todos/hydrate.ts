/**
 * Hydrates the server-rendered todo list (src/todos/TodoIsland.astro) with the props the server
 * rendered it from. Once hydrated, the container says so (`data-hydrated`): before that a submit is
 * a plain form post, and the browser tests wait for it.
 */
import { createElement, useEffect } from 'react';
import { hydrateRoot } from 'react-dom/client';
import TodoApp, { type TodoAppProps } from './TodoApp.tsx';

const container = document.getElementById('todo-app');
const json = document.getElementById('todo-app-props')?.textContent;

function HydratedTodoApp(props: TodoAppProps) {
  useEffect(() => {
    if (container) container.dataset['hydrated'] = 'true';
  }, []);
  return createElement(TodoApp, props);
}

if (container && json) hydrateRoot(container, createElement(HydratedTodoApp, JSON.parse(json) as TodoAppProps));

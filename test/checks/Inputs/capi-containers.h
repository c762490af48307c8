/* A project's own C containers: an intrusive list and a red-black tree,
 * each with functions that take the container first. */
#ifndef CAPI_CONTAINERS_H
#define CAPI_CONTAINERS_H

struct list_node {
  struct list_node *next, *prev;
};
struct list {
  struct list_node head;
  unsigned long len;
};
void list_init(struct list *l);
void list_append(struct list *l, struct list_node *n);
void list_remove(struct list *l, struct list_node *n);
unsigned long list_len(const struct list *l);

struct rb_tree;
struct rb_tree *rb_new(void);
void rb_insert(struct rb_tree *t, long key, void *value);
void rb_erase(struct rb_tree *t, long key);
void *rb_find(const struct rb_tree *t, long key);

#endif

#include "shared.h"
int registry = 0;
void trim() { registry = 0; } // FACT registry.trim ok
void lonely() {} // ASK nobody.provides.this

#include "shared.h"
void fill() { registry++; } // ASK registry.trim

/** Which models a node should hold, from its VRAM (a tier table), and the pulls that put them there. */
package dev.jerry.model.placement;

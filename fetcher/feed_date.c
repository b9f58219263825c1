/* TODO: being written */

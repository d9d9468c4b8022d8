/* Seed 004, "TCP/IP: TCP at Clients", as the slide writes it. The twin of examples/tcp-client.ts.
 * Usage: tcp_client [port=2021] [address=127.0.0.1] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void print_address(const char *what, const struct sockaddr_in *sin) {
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
  printf("%s %d:%d (%s:%d)\n", what, (int)sin->sin_addr.s_addr, sin->sin_port, text, ntohs(sin->sin_port));
  fflush(stdout);
}

int main(int argc, char *argv[]) {
  int port = argc > 1 ? atoi(argv[1]) : 2021;
  const char *address = argc > 2 ? argv[2] : "127.0.0.1";

  int client_sd = socket(AF_INET, SOCK_STREAM, 0);
  if (client_sd == -1) {
    printf("error in creating socket for the client!\n");
    exit(1);
  }
  printf("socket has created for the client with sd:%d\n", client_sd);

  struct sockaddr_in server_sin;
  memset(&server_sin, 0, sizeof server_sin);
  server_sin.sin_family = AF_INET;
  server_sin.sin_addr.s_addr = inet_addr(address);
  server_sin.sin_port = htons(port);
  if (connect(client_sd, (struct sockaddr *)&server_sin, sizeof(server_sin)) == -1) {
    print_address("error in connecting to The Server at address:port =", &server_sin);
    perror("connect");
    exit(1);
  }
  print_address("client is connected to The Server at address:port =", &server_sin);

  char response[11] = {0};
  send(client_sd, "hello", 6, 0);
  recv(client_sd, response, 10, 0);
  printf("%s\n", response);
  close(client_sd);
  return 0;
}
